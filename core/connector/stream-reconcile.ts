/**
 * What a stream offers reconciliation (part of the connector contract, see connector.ts): its records
 * seen as documents, and — for a stream whose system can list what it holds — a read of one period.
 * The runtime reconciles flows whose streams declare this; it never asks which connector it talks to.
 */
import type { ReconcileDocument } from '../reconcile/reconcile-document.ts'
import type { RoundingRule } from '../reconcile/rounding-rule.ts'
import type { ConnectorContext } from './connector.ts'

/** A period of documents: `yyyy-mm-dd` dates, `from` inclusive, `to` exclusive. */
export interface DocumentPeriod {
  from: string
  to: string
}

/** Reconciliation support of one stream. */
export interface StreamReconcile<Config = any, R extends Record<string, unknown> = Record<string, unknown>> {
  /**
   * The document a record of this stream is. Called on records `list` (or `read`) returned and on
   * records a flow mapped for `write`, so both sides of a comparison go through the same function.
   * Pure and total: a missing field leaves the document's field out, it never throws.
   */
  document(record: R): ReconcileDocument
  /**
   * The documents the system holds whose posting date (else document date) falls in the period, page by
   * page, in the shape `document` takes. Reads only: it must never change anything remotely. Absent when
   * the system offers no such read (MISA cannot list vouchers): reconciliation then relies on the
   * target's own answers that Ferry recorded.
   */
  list?(ctx: ConnectorContext<Config>, period: DocumentPeriod): AsyncIterable<R[]>
  /** How the system rounds money (default: the currency's ISO 4217 minor unit, nothing per line). */
  rounding?: RoundingRule
}

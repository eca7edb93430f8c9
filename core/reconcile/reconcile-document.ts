/**
 * The shape reconciliation compares: one document (an invoice, a credit memo, a voucher, a payment) as
 * every system sees it, reduced to the natural keys systems share and the fields that matter to an
 * accountant. A connector turns its own records into this shape (`Stream.reconcile.document`), for
 * records it reads and for records Ferry maps for it, so both sides of a comparison come from the same
 * function.
 */

/** Where a document stands in its system, as far as reconciliation cares. */
export type DocumentStatus = 'draft' | 'posted' | 'paid' | 'reversed'

/** One line of a document: an amount on an account, with its tax and dimensions. */
export interface ReconcileLine {
  /** The account (G/L account, VAS account) the line posts to. */
  account?: string
  /** The net amount, in the document currency. */
  amount?: number
  /** The tax amount, in the document currency. */
  tax?: number
  /** The tax group or VAT code as the system names it. */
  taxCode?: string
  /** Dimension code → value code (DEPARTMENT → SALES). */
  dimensions?: Record<string, string>
}

/** A document as reconciliation compares it. Every field is optional: a system fills what it knows. */
export interface ReconcileDocument {
  /** The system's own id (a BC document id, a Basware externalCode); absent for what Ferry has yet to write. */
  id?: string
  /** The system's human-facing number (BC posted number, MISA refno). */
  number?: string
  /** The vendor (or customer) code, as the system knows it. */
  party?: string
  /** The vendor's tax id (Vietnamese MST), when the document carries it. */
  taxId?: string
  /** The vendor's own document number (vendor invoice number, external document number). */
  reference?: string
  /** Other keys the systems share, by name (the Basware invoiceId a payment answers, a MISA org_refid). */
  keys?: Record<string, string>
  /** Dates as `yyyy-mm-dd`. */
  documentDate?: string
  postingDate?: string
  dueDate?: string
  /** ISO currency code of the document; amounts below are in it. */
  currency?: string
  exchangeRate?: number
  /** Header totals in the document currency. */
  net?: number
  tax?: number
  gross?: number
  /** What has been paid of it, in the document currency (payments, payment responses). */
  paid?: number
  lines?: ReconcileLine[]
  status?: DocumentStatus
}

/** The date a document belongs to a period by: its posting date, else its document date. */
export function periodDateOf(doc: ReconcileDocument): string | undefined {
  return doc.postingDate ?? doc.documentDate
}

/**
 * Approved Basware invoices as documents for reconciliation — the source's view of what it approved —
 * and the read of a period: the documents waiting for, in or past transfer whose voucher date (else
 * invoice date) falls in it. A credit note's amounts are made positive, as an ERP books them.
 */
import type { StreamReconcile } from '../../../core/connector/stream-reconcile.ts'
import { periodDateOf, type ReconcileDocument } from '../../../core/reconcile/reconcile-document.ts'
import type { Config } from '../config.ts'
import { type DocumentRead, dayOf, documentsInStatuses } from './documents-in-statuses.ts'

type Row = Record<string, unknown>

/** The statuses of an invoice approved for the ERP, before and after its transfer. */
export const APPROVED_STATUSES = [
  'WaitingForTransfer',
  'TransferInProgress',
  'TransferFailed',
  'Transferred',
  'Paid',
] as const

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

function isCreditNote(record: Row): boolean {
  return ['CreditNote', '381'].includes(String(record.invoiceTypeCode)) || (number(record.grossSum) ?? 0) < 0
}

/** The document a Basware accounting document is. */
export function accountingDocument(record: Row): ReconcileDocument {
  const sign = isCreditNote(record) ? -1 : 1
  const signed = (value: unknown) => {
    const n = number(value)
    return n === undefined ? undefined : Math.abs(n) * (n < 0 ? -sign : sign)
  }
  const tax = [record.taxSum1, record.taxSum2, record.taxSum3].map(number)
  const rows = Array.isArray(record.codingRows) ? (record.codingRows as Row[]) : []
  return {
    id: text(record.invoiceId),
    party: text(record.supplierCode),
    reference: text(record.invoiceNumber),
    documentDate: dayOf(record.invoiceDate),
    postingDate: dayOf(record.voucherDate),
    dueDate: dayOf(record.dueDate),
    currency: text(record.currencyCode),
    net: signed(record.netSum),
    tax: tax.some((t) => t !== undefined) ? signed(tax.reduce<number>((s, t) => s + (t ?? 0), 0)) : undefined,
    gross: signed(record.grossSum),
    lines: rows.map((row) => ({
      account: text(row.accountCode),
      amount: signed(row.netTotal),
      tax: signed(row.taxSum),
      taxCode: text(row.taxCode),
    })),
  }
}

/** The reconcile member of the accountingDocuments stream, reading through the stream's own `read`. */
export function accountingDocumentReconcile(read: DocumentRead): StreamReconcile<Config> {
  return {
    document: accountingDocument,
    async *list(ctx, period) {
      for await (const page of documentsInStatuses(read, ctx, APPROVED_STATUSES)) {
        const inPeriod = page.filter((record) => {
          const date = periodDateOf(accountingDocument(record))
          return date !== undefined && date >= period.from && date < period.to
        })
        if (inPeriod.length > 0) yield inPeriod
      }
    },
  }
}

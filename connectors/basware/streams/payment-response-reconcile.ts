/**
 * Payment responses as documents for reconciliation, and the read of a period: every payment response
 * Basware keeps on a transferred or paid invoice whose payment date falls in it, with the invoice's
 * supplier and number beside it. A response Ferry sent carries Ferry's externalCode as its id; one
 * posted by anyone else shows up as a document nothing in Ferry explains.
 */
import type { StreamReconcile } from '../../../core/connector/stream-reconcile.ts'
import type { ReconcileDocument } from '../../../core/reconcile/reconcile-document.ts'
import type { Config } from '../config.ts'
import { type DocumentRead, dayOf, documentsInStatuses } from './documents-in-statuses.ts'

type Row = Record<string, unknown>

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/** The document a payment response is (as a flow maps it, or as Basware keeps it on the invoice). */
export function paymentResponseDocument(record: Row): ReconcileDocument {
  const invoiceId = text(record.invoiceId)
  return {
    id: text(record.externalCode),
    party: text(record.supplierCode),
    reference: text(record.invoiceNumber),
    keys: invoiceId ? { invoiceId } : undefined,
    postingDate: dayOf(record.paymentDate),
    currency: text(record.paymentCurrency) ?? text(record.currencyCode),
    paid: number(record.paidTotal),
  }
}

/** The reconcile member of the paymentResponses stream. */
export function paymentResponseReconcile(read: DocumentRead): StreamReconcile<Config> {
  return {
    document: paymentResponseDocument,
    async *list(ctx, period) {
      for await (const page of documentsInStatuses(read, ctx, ['Transferred', 'Paid'])) {
        const responses = page.flatMap((invoice) =>
          (Array.isArray(invoice.paymentResponses) ? (invoice.paymentResponses as Row[]) : [])
            .filter((r) => r.success !== false)
            .map(
              (r): Row => ({
                ...r,
                invoiceId: invoice.invoiceId,
                supplierCode: invoice.supplierCode,
                invoiceNumber: invoice.invoiceNumber,
                currencyCode: invoice.currencyCode,
              }),
            )
            .filter((r) => {
              const date = dayOf(r.paymentDate)
              return date !== undefined && date >= period.from && date < period.to
            }),
        )
        if (responses.length > 0) yield responses
      }
    },
  }
}

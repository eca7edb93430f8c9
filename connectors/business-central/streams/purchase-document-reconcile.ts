/**
 * Purchase invoices and credit memos as documents for reconciliation, and the read of a period: the
 * documents (drafts, posted, paid, cancelled) whose posting date falls in it, lines and dimensions
 * expanded, one server-paged GET per page. The same `document` reads a record BC returned and a record
 * a flow mapped for a deep insert, so what Ferry would write compares field by field with what a clerk keyed.
 */
import type { StreamReconcile } from '../../../core/connector/stream-reconcile.ts'
import type { ReconcileDocument, ReconcileLine } from '../../../core/reconcile/reconcile-document.ts'
import { isoDecimals } from '../../../core/reconcile/rounding-rule.ts'
import type { Config } from '../config.ts'
import { readCollection } from '../read-collection.ts'
import type { DocumentStreamKind } from './document-stream.ts'

type Row = Record<string, unknown>

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)
const amount = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const rows = (value: unknown) => (Array.isArray(value) ? (value as Row[]) : [])

/** BC's document statuses (decoded), as reconciliation sees them. */
const STATUS: Record<string, ReconcileDocument['status']> = {
  Draft: 'draft',
  'In Review': 'draft',
  Open: 'posted',
  Corrective: 'posted',
  Paid: 'paid',
  Canceled: 'reversed',
}

function dimensions(lines: Row[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const code = text(line.code)
    const value = text(line.valueCode)
    if (code && value) out[code.toUpperCase()] = value.toUpperCase()
  }
  return out
}

function lineOf(line: Row, header: Record<string, string>): ReconcileLine {
  const quantity = amount(line.quantity) ?? 1
  const net =
    amount(line.amountExcludingTax) ??
    (amount(line.unitCost) === undefined
      ? undefined
      : quantity * amount(line.unitCost)! - (amount(line.discountAmount) ?? 0))
  return {
    account: text(line.lineObjectNumber),
    amount: net,
    tax: amount(line.totalTaxAmount),
    taxCode: text(line.taxCode),
    // A document's dimensions apply to every line unless the line sets its own value.
    dimensions: { ...header, ...dimensions(rows(line.dimensionSetLines)) },
  }
}

/** The reconcile member of a purchase document stream. */
export function purchaseDocumentReconcile(kind: DocumentStreamKind): StreamReconcile<Config> {
  return {
    document(record) {
      const header = dimensions(rows(record.dimensionSetLines))
      // A record read without its lines (a find by key) says nothing about them: leave them out.
      const lines = Array.isArray(record[kind.lines])
        ? rows(record[kind.lines])
            .filter((l) => text(l.lineType) !== 'Comment')
            .map((l) => lineOf(l, header))
        : undefined
      const lineSum =
        lines && lines.length > 0 && lines.every((l) => l.amount !== undefined)
          ? lines.reduce((sum, l) => sum + l.amount!, 0)
          : undefined
      return {
        id: text(record.id),
        number: text(record.number),
        party: text(record.vendorNumber),
        reference: text(record[kind.documentNumber]),
        documentDate: text(record.invoiceDate) ?? text(record.creditMemoDate),
        postingDate: text(record.postingDate),
        dueDate: text(record.dueDate),
        currency: text(record.currencyCode),
        net: amount(record.totalAmountExcludingTax) ?? lineSum,
        tax: amount(record.totalTaxAmount),
        gross: amount(record.totalAmountIncludingTax),
        lines,
        status: STATUS[String(record.status ?? '')],
      }
    },
    async *list(ctx, period) {
      const pages = readCollection(
        ctx,
        { entitySet: kind.entitySet, expand: `${kind.lines}($expand=dimensionSetLines),dimensionSetLines` },
        { cursor: null, query: { $filter: `postingDate ge ${period.from} and postingDate lt ${period.to}` } },
      )
      for await (const page of pages) yield page.records
    },
    // BC rounds to the currency's precision and spreads VAT computed on the document over its lines.
    rounding: { decimals: isoDecimals, perLine: { tax: 1 } },
  }
}

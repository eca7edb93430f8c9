/**
 * MISA vouchers as documents for reconciliation. MISA's open API cannot list vouchers (only master data,
 * balances and the results of proposals), so there is no `list`: reconciliation compares the source with
 * what MISA accepted, which Ferry records from MISA's callbacks and outcome polls.
 *
 * Amounts are in the document currency: a VND voucher's totals as they are; a foreign-currency voucher's
 * `_oc` amounts (its VND amounts are MISA's conversion). Rounding follows MISA's own rule as the sandbox
 * documents it: whole đồng, VAT computed per line and accepted within ±1 đồng, totals the sums of the lines.
 */
import type { StreamReconcile } from '../../../core/connector/stream-reconcile.ts'
import type { ReconcileDocument, ReconcileLine } from '../../../core/reconcile/reconcile-document.ts'
import { isoDecimals } from '../../../core/reconcile/rounding-rule.ts'
import { vatCodeOf } from '../../../core/vietnam/vat.ts'
import type { Config } from '../config.ts'

type Row = Record<string, unknown>

const text = (value: unknown) =>
  (typeof value === 'string' || typeof value === 'number') && String(value).trim() !== ''
    ? String(value).trim()
    : undefined
const amount = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const day = (value: unknown) => text(value)?.slice(0, 10)

function vatCode(line: Row): string | undefined {
  if (typeof line.vat_rate !== 'number') return undefined
  try {
    return vatCodeOf(line.vat_rate, line.other_vat_rate as number | null | undefined)
  } catch {
    return String(line.vat_rate)
  }
}

function sum(values: (number | undefined)[]): number | undefined {
  return values.length > 0 && values.every((v) => v !== undefined)
    ? values.reduce<number>((a, v) => a + v!, 0)
    : undefined
}

/** The document a voucher record is (the record a flow maps, or one MISA would hand back). */
export function voucherDocument(record: Row): ReconcileDocument {
  const currency = text(record.currency_id) ?? 'VND'
  const foreign = currency.toUpperCase() !== 'VND'
  const detail = (Array.isArray(record.detail) ? (record.detail as Row[]) : []).filter(
    (l) => !l.is_description,
  )
  const lines: ReconcileLine[] = detail.map((line) => ({
    account: text(line.debit_account),
    amount: foreign ? amount(line.amount_oc) : amount(line.amount),
    tax: foreign ? amount(line.vat_amount_oc) : amount(line.vat_amount),
    taxCode: vatCode(line),
  }))
  const header = (field: string) => (foreign ? amount(record[`${field}_oc`]) : amount(record[field]))
  const discount = header('total_discount_amount') ?? 0
  const net = header('total_sale_amount')
  return {
    id: text(record.refid),
    number: text(record.refno),
    party: text(record.account_object_code),
    taxId: text(record.account_object_tax_code),
    keys: text(record.org_refid) ? { org_refid: text(record.org_refid)! } : undefined,
    documentDate: day(record.refdate),
    postingDate: day(record.posted_date),
    currency,
    exchangeRate: amount(record.exchange_rate),
    net: net === undefined ? sum(lines.map((l) => l.amount)) : net - discount,
    tax: header('total_vat_amount') ?? (foreign ? undefined : sum(lines.map((l) => l.tax))),
    gross: header('total_amount'),
    lines,
  }
}

/** The reconcile member of every voucher stream. */
export const voucherReconcile: StreamReconcile<Config> = {
  document: voucherDocument,
  rounding: { decimals: isoDecimals, perLine: { tax: 1 } },
}

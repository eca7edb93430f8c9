/**
 * Field-by-field comparison of two views of one document: what was expected (Ferry's mapped record, or
 * the source's header amounts) and what the target holds. Only fields both views have are compared, so a
 * system that does not expose a field (BC has no exchange rate on invoices) never shows a difference for it.
 */
import type { FieldDifference } from './field-difference.ts'
import { pairLines } from './pair-lines.ts'
import type { ReconcileDocument, ReconcileLine } from './reconcile-document.ts'
import { compareAmounts, type RoundingRule } from './rounding-rule.ts'

/** The header fields reconciliation compares, in report order. */
export const HEADER_FIELDS = [
  'party',
  'taxId',
  'reference',
  'documentDate',
  'postingDate',
  'dueDate',
  'currency',
  'exchangeRate',
  'net',
  'tax',
  'gross',
  'paid',
  'status',
] as const

/** A header field name. */
export type HeaderField = (typeof HEADER_FIELDS)[number]

/** Fields a source document can vouch for whatever the mapping made of it: currency and totals. */
export const SOURCE_FIELDS: readonly HeaderField[] = ['currency', 'net', 'tax', 'gross']

type Value = string | number | null

const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value).trim())
const sameText = (a: string, b: string) => a.toUpperCase() === b.toUpperCase()
const day = (value: string) => value.slice(0, 10)

function describeLine(line: ReconcileLine): string {
  return [line.account ?? '?', line.amount ?? '?', line.taxCode].filter((x) => x !== undefined).join(' ')
}

/** Compares `expected` with `actual` under the target's rounding rule; `only` limits the header fields. */
export function compareDocuments(
  expected: ReconcileDocument,
  actual: ReconcileDocument,
  rule: RoundingRule,
  options: { expectedFrom?: 'ferry' | 'source'; only?: readonly HeaderField[] } = {},
): FieldDifference[] {
  const expectedFrom = options.expectedFrom ?? 'ferry'
  const differences: FieldDifference[] = []
  const add = (field: string, e: Value, a: Value, kind: 'mistake' | 'rounding' = 'mistake') =>
    differences.push({ field, expected: e, actual: a, kind, expectedFrom })
  const decimals = rule.decimals(actual.currency ?? expected.currency)
  const taxUnits = rule.perLine?.tax ?? 0
  const lineCount = Math.max(expected.lines?.length ?? 0, actual.lines?.length ?? 0, 1)
  const amount = (field: string, e: number | undefined, a: number | undefined, tolerance = 0) => {
    if (e === undefined || a === undefined) return 'equal'
    const result = compareAmounts(e, a, decimals, tolerance)
    if (result !== 'equal') add(field, e, a, result)
    return result
  }
  const wanted = new Set<HeaderField>(options.only ?? HEADER_FIELDS)

  for (const field of ['party', 'taxId', 'reference', 'currency'] as const) {
    if (!wanted.has(field)) continue
    const e = text(expected[field])
    const a = text(actual[field])
    if (e && a && !sameText(e, a)) add(field, e, a)
  }
  for (const field of ['documentDate', 'postingDate', 'dueDate'] as const) {
    if (!wanted.has(field)) continue
    const e = text(expected[field])
    const a = text(actual[field])
    if (e && a && day(e) !== day(a)) add(field, day(e), day(a))
  }
  if (wanted.has('exchangeRate')) amount('exchangeRate', expected.exchangeRate, actual.exchangeRate)
  let netResult = 'equal'
  if (wanted.has('net')) netResult = amount('net', expected.net, actual.net)
  // Tax computed per line may stray a few units per line from a total rounded once; gross inherits it.
  if (wanted.has('tax')) amount('tax', expected.tax, actual.tax, taxUnits * lineCount)
  if (wanted.has('gross'))
    amount('gross', expected.gross, actual.gross, netResult === 'equal' ? taxUnits * lineCount : 0)
  if (wanted.has('paid')) amount('paid', expected.paid, actual.paid)
  if (wanted.has('status') && expected.status && actual.status) {
    const posted = expected.status === 'posted' && actual.status === 'paid'
    if (expected.status !== actual.status && !posted) add('status', expected.status, actual.status)
  }
  if (!options.only && expected.lines && actual.lines)
    compareLines(expected.lines, actual.lines, decimals, taxUnits, add)
  return differences
}

function compareLines(
  expected: readonly ReconcileLine[],
  actual: readonly ReconcileLine[],
  decimals: number,
  taxUnits: number,
  add: (field: string, e: Value, a: Value, kind?: 'mistake' | 'rounding') => void,
): void {
  const sameAmount = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || compareAmounts(a, b, decimals) === 'equal'
  const { pairs, expectedOnly, actualOnly } = pairLines(expected, actual, sameAmount)
  for (const [i, j] of pairs) {
    const e = expected[i]!
    const a = actual[j]!
    const at = `lines[${i + 1}]`
    if (e.account && a.account && !sameText(e.account, a.account)) add(`${at}.account`, e.account, a.account)
    if (e.amount !== undefined && a.amount !== undefined) {
      const result = compareAmounts(e.amount, a.amount, decimals)
      if (result !== 'equal') add(`${at}.amount`, e.amount, a.amount, result)
    }
    if (e.tax !== undefined && a.tax !== undefined) {
      const result = compareAmounts(e.tax, a.tax, decimals, taxUnits)
      if (result !== 'equal') add(`${at}.tax`, e.tax, a.tax, result)
    }
    if (e.taxCode && a.taxCode && !sameText(e.taxCode, a.taxCode)) add(`${at}.taxCode`, e.taxCode, a.taxCode)
    if (e.dimensions && a.dimensions) {
      const codes = [...new Set([...Object.keys(e.dimensions), ...Object.keys(a.dimensions)])].sort()
      for (const code of codes) {
        const ev = e.dimensions[code] ?? null
        const av = a.dimensions[code] ?? null
        if (ev !== av && !(ev && av && sameText(ev, av))) add(`${at}.dimensions.${code}`, ev, av)
      }
    }
  }
  for (const i of expectedOnly) add(`lines[${i + 1}]`, describeLine(expected[i]!), null)
  for (const [n, j] of actualOnly.entries())
    add(`lines[${expected.length + n + 1}]`, null, describeLine(actual[j]!))
}

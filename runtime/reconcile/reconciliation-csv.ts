/**
 * A reconciliation as CSV for a spreadsheet: one row per document, one column per field that differs
 * anywhere in it (`expected → actual`, marked when the target's rounding explains it). UTF-8 with a BOM
 * and CRLF so Excel opens Vietnamese names as they are; a cell that would start a formula is quoted as
 * text, since document data comes from outside.
 */
import type { FieldDifference } from '../../core/reconcile/field-difference.ts'
import type { ReconciliationItemRow } from '../store/reconciliations-store.ts'

const FIXED = [
  'flow',
  'class',
  'source key',
  'party',
  'reference',
  'date',
  'currency',
  'amount',
  'target ids',
  'target numbers',
  'ferry state',
  'record id',
] as const

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'number') return String(value)
  let text = String(value)
  // =, +, @ and a dash not starting a number make spreadsheets evaluate the cell.
  if (/^[=+@\t\r]/.test(text) || /^-(?![\d.])/.test(text)) text = `'${text}`
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function difference(d: FieldDifference): string {
  const show = (v: FieldDifference['expected']) => (v === null ? '(none)' : String(v))
  return `${show(d.expected)} → ${show(d.actual)}${d.kind === 'rounding' ? ' (rounding)' : ''}`
}

/** Renders the items (flow ids named by `flowNames`) as one CSV text. */
export function reconciliationCsv(
  items: readonly ReconciliationItemRow[],
  flowNames: ReadonlyMap<string, string>,
): string {
  const fields: string[] = []
  for (const item of items)
    for (const d of item.differences) if (!fields.includes(d.field)) fields.push(d.field)
  const rows = items.map((item) => {
    const byField = new Map(item.differences.map((d) => [d.field, difference(d)]))
    return [
      flowNames.get(item.flowId) ?? item.flowId,
      item.class,
      item.sourceKey,
      item.party,
      item.reference,
      item.date,
      item.currency,
      item.amount,
      item.targetIds.join(' '),
      item.targetNumbers.join(' '),
      item.ferryState,
      item.recordId,
      ...fields.map((f) => byField.get(f)),
    ]
  })
  return `\uFEFF${[[...FIXED, ...fields], ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}

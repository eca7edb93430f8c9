import type { MappingTable } from '../../core/manifest/recipe-schema.ts'
import { validateMst } from '../../core/vietnam/mst.ts'

/** One master-data record of a mapping table's side: its key, what the tenant sees, what is compared. */
export interface MappingEntry {
  key: string
  label: string
  /** The value the strategy compares (the MST for `mst`); the key when the side declares none. */
  matchOn: string
}

/** Why a row was proposed (or why it was not). */
export type MatchKind = 'mst' | 'number' | 'name' | 'code' | 'ambiguous' | 'none'

/** The proposal for one `from` key: a value when exactly one candidate matched, else candidates or none. */
export interface MatchedRow {
  key: string
  label: string
  value: string | null
  match: MatchKind
  /** Human-readable: what matched what, or which candidates tie. */
  detail: string
}

/**
 * The MST's identity for matching: digits only, branch suffix kept apart from the parent, so
 * `0312121218-001`, `0312121218 001` and `0312121218001` are one taxpayer. Empty when there is none.
 */
export function mstMatchKey(text: string): string {
  const compact = text.replace(/[\s.\-_/]/g, '')
  if (compact === '') return ''
  const checked = validateMst(compact)
  if (checked.valid) return checked.normalized
  return /^\d+$/.test(compact) ? compact : ''
}

/** Case- and composition-insensitive text, so `CHI PHÍ` (decomposed) equals `chi phí`; diacritics stay. */
export function foldName(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi')
}

function index(to: readonly MappingEntry[], keyOf: (e: MappingEntry) => string): Map<string, MappingEntry[]> {
  const byKey = new Map<string, MappingEntry[]>()
  for (const entry of to) {
    const k = keyOf(entry)
    if (k === '') continue
    byKey.set(k, [...(byKey.get(k) ?? []), entry])
  }
  return byKey
}

function decide(
  from: MappingEntry,
  hits: MappingEntry[] | undefined,
  kind: MatchKind,
): MatchedRow | undefined {
  if (!hits || hits.length === 0) return undefined
  // Several records sharing one key (e.g. a customer and a vendor with one MST) count once per key.
  const keys = [...new Set(hits.map((h) => h.key))]
  if (keys.length === 1)
    return {
      key: from.key,
      label: from.label,
      value: keys[0]!,
      match: kind,
      detail: `${from.label || from.key} → ${hits[0]!.label || hits[0]!.key}`,
    }
  return {
    key: from.key,
    label: from.label,
    value: null,
    match: 'ambiguous',
    detail: `${kind} matches ${keys.length} records: ${keys.join(', ')}`,
  }
}

/**
 * Proposes one row per `from` entry by the table's strategy: `mst` compares normalised tax codes,
 * `number-and-name` the account number and then the folded name, `code` the folded code. A row with
 * several candidates is left `ambiguous` and one with none `none` (value null): the tenant decides.
 */
export function matchMappingRows(
  strategy: MappingTable['match'],
  from: readonly MappingEntry[],
  to: readonly MappingEntry[],
): MatchedRow[] {
  const byMst = strategy === 'mst' ? index(to, (e) => mstMatchKey(e.matchOn)) : undefined
  const byNumber = strategy === 'number-and-name' ? index(to, (e) => e.matchOn.trim()) : undefined
  const byName = strategy === 'number-and-name' ? index(to, (e) => foldName(e.label)) : undefined
  const byCode = strategy === 'code' ? index(to, (e) => foldName(e.matchOn)) : undefined
  return from.map((entry) => {
    const row = byMst
      ? decide(entry, byMst.get(mstMatchKey(entry.matchOn)), 'mst')
      : byCode
        ? decide(entry, byCode.get(foldName(entry.matchOn)), 'code')
        : (decide(entry, byNumber!.get(entry.matchOn.trim()), 'number') ??
          (entry.label === '' ? undefined : decide(entry, byName!.get(foldName(entry.label)), 'name')))
    return (
      row ?? {
        key: entry.key,
        label: entry.label,
        value: null,
        match: 'none',
        detail: `no ${strategy} match for ${entry.label || entry.key}`,
      }
    )
  })
}

import type { FlowManifest } from '../../core/manifest/flow-schema.ts'

/** The mapping row a `lookup_missing` failure needs: the recipe's table and the key to add. */
export interface MissingMappingRow {
  /** The lookup's name in the flow (`$lookupTable('vendor', …)`). */
  lookup: string
  /** The recipe mapping table behind it; null when the lookup is not a mapping table (static, stream). */
  table: string | null
  /** The missing key; null when the message shortened it (longer than 60 characters). */
  key: string | null
}

// The message core/mapping/functions/lookup.ts writes: `…: key "0312…" is not in lookup table "vendor" (…)`.
const MISSING = /key (.+?) is not in lookup table "([^"]+)"/

/**
 * Reads which mapping row a `lookup_missing` failure asks for, from its message and the flow version
 * the record was mapped with. Undefined for any other failure.
 */
export function missingMappingRow(
  error: Record<string, unknown>,
  manifest: FlowManifest | undefined,
): MissingMappingRow | undefined {
  if (error.code !== 'lookup_missing' || typeof error.message !== 'string') return undefined
  const m = MISSING.exec(error.message)
  if (!m) return undefined
  const lookup = m[2]!
  let key: string | null = null
  if (!m[1]!.endsWith('...'))
    try {
      const parsed: unknown = JSON.parse(m[1]!)
      key = typeof parsed === 'string' || typeof parsed === 'number' ? String(parsed) : null
    } catch {}
  const spec = manifest?.lookups?.[lookup]
  const table = spec && 'table' in spec ? spec.table : null
  return { lookup, table, key }
}

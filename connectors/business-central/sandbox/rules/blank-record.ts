/**
 * A record of an entity set with every catalogue property at BC's empty value, so every response
 * carries the full field set: '' for text, 0, false, `0001-01-01`, the empty GUID, the blank enum.
 */
import { entitySpec, type FieldSpec } from '../../api-fields.ts'

/** BC's empty GUID. */
export const emptyGuid = '00000000-0000-0000-0000-000000000000'

function empty(field: FieldSpec): unknown {
  switch (field.type) {
    case 'number':
      return 0
    case 'boolean':
      return false
    case 'guid':
      return emptyGuid
    case 'date':
      return '0001-01-01'
    case 'datetime':
      return '0001-01-01T00:00:00Z'
    case 'enum':
      return field.enum?.includes('_x0020_') ? '_x0020_' : (field.enum?.[0] ?? '')
    default:
      return ''
  }
}

/** A full record of `entitySet` with `values` over the empty defaults (unknown keys dropped). */
export function blankRecord(
  entitySet: string,
  values: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(entitySpec(entitySet).properties)) {
    out[name] = values[name] !== undefined ? values[name] : empty(field)
  }
  return out
}

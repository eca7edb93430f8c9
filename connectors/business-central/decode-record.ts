/**
 * Records as the connector hands them on: enum values decoded (`In_x0020_Review` → `In Review`),
 * expanded navigation properties decoded with their own entity's catalogue entry.
 */
import { apiFields } from './api-fields.ts'
import { decodeEnum } from './odata-enum.ts'

/** Decodes the enum fields of a `entitySet` record (and of its expanded children), in a copy. */
export function decodeRecord(entitySet: string, record: Record<string, unknown>): Record<string, unknown> {
  const spec = apiFields[entitySet]
  if (!spec) return record
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(record)) {
    if (name === '@odata.context') continue
    const field = spec.properties[name]
    if (field?.type === 'enum' && typeof value === 'string') out[name] = decodeEnum(value)
    else if (Array.isArray(value) && apiFields[name]) {
      out[name] = value.map((child) => decodeRecord(name, child as Record<string, unknown>))
    } else out[name] = value
  }
  return out
}

/**
 * JSON Schemas of stream records, derived from the field catalogue so they match BC's wire shape.
 * Enum members are listed decoded (`In Review`), since the connector decodes them on read.
 */
import type { JsonSchema } from '../../core/connector/connector.ts'
import { entitySpec, type FieldSpec } from './api-fields.ts'
import { decodeEnum } from './odata-enum.ts'

function fieldSchema(field: FieldSpec): JsonSchema {
  const schema: JsonSchema = {}
  if (field.type === 'number') schema.type = 'number'
  else if (field.type === 'boolean') schema.type = 'boolean'
  else schema.type = 'string'
  if (field.type === 'guid') schema.format = 'uuid'
  if (field.type === 'date') schema.format = 'date'
  if (field.type === 'datetime') schema.format = 'date-time'
  if (field.enum) schema.enum = field.enum.map(decodeEnum)
  if (field.maxLength !== undefined) schema.maxLength = field.maxLength
  if (field.readOnly) schema.readOnly = true
  return schema
}

/**
 * The schema of one record of `entitySet`; `expand` adds expanded navigation properties as arrays
 * of their own entity schema (e.g. `{ purchaseInvoiceLines: { dimensionSetLines: {} } }`).
 */
export function recordSchema(entitySet: string, expand: Record<string, object> = {}): JsonSchema {
  const spec = entitySpec(entitySet)
  const properties: Record<string, JsonSchema> = { '@odata.etag': { type: 'string', readOnly: true } }
  for (const [name, field] of Object.entries(spec.properties)) properties[name] = fieldSchema(field)
  for (const [nav, nested] of Object.entries(expand)) {
    properties[nav] = { type: 'array', items: recordSchema(nav, nested as Record<string, object>) }
  }
  return { type: 'object', required: [spec.key], properties }
}

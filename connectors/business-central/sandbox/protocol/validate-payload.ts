/**
 * Validates a write payload against the field catalogue the way BC's OData layer and page do:
 * unknown properties, read-only controls, wire types, GUID and date formats, string lengths and
 * enum members (accepted escaped or as the plain name, stored escaped).
 */
import { entitySpec, type FieldSpec } from '../../api-fields.ts'
import { decodeEnum, encodeEnum } from '../../odata-enum.ts'
import { BcHttpError } from './bc-http-error.ts'

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One property value checked against its field spec (BC's conversion and length errors). */
export function checkValue(name: string, field: FieldSpec, value: unknown, entityName: string): unknown {
  const typeError = (edm: string) =>
    new BcHttpError(
      400,
      'BadRequest',
      `Cannot convert the literal '${String(value)}' to the expected type '${edm}'.`,
    )
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('Edm.Decimal')
      return value
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError('Edm.Boolean')
      return value
    case 'guid':
      if (typeof value !== 'string' || !guidPattern.test(value)) {
        throw new BcHttpError(
          400,
          'Application_InvalidGUID',
          `Invalid format of GUID string. Value: ${String(value)}`,
        )
      }
      return value.toLowerCase()
    case 'date':
      if (
        typeof value !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        throw typeError('Edm.Date')
      }
      return value
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw typeError('Edm.DateTimeOffset')
      return new Date(value).toISOString()
    case 'enum': {
      const member = field.enum?.find((m) => typeof value === 'string' && decodeEnum(m) === decodeEnum(value))
      if (!member) {
        throw new BcHttpError(
          400,
          'Application_EvaluateException',
          `The value "${String(value)}" cannot be evaluated into type ${entityName}.${name}.`,
        )
      }
      return encodeEnum(decodeEnum(member))
    }
    default:
      if (typeof value !== 'string') throw typeError('Edm.String')
      if (field.maxLength !== undefined && value.length > field.maxLength) {
        throw new BcHttpError(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${value.length}, but it must be less than or equal to ${field.maxLength} characters. Value: ${value}`,
        )
      }
      return value
  }
}

/**
 * The payload's properties, validated and normalised. Navigation arrays listed in `nested` are
 * returned apart for deep insert; anything else unknown is refused.
 */
export function validatePayload(
  entitySet: string,
  body: unknown,
  nested: readonly string[] = [],
): { fields: Record<string, unknown>; children: Record<string, unknown[]> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BcHttpError(400, 'BadRequest', 'The request body must be a JSON object.')
  }
  const spec = entitySpec(entitySet)
  const entityName = entitySet.replace(/s$/, '').replace(/ie$/, 'y')
  const fields: Record<string, unknown> = {}
  const children: Record<string, unknown[]> = {}
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue
    if (nested.includes(name)) {
      if (!Array.isArray(value))
        throw new BcHttpError(400, 'BadRequest', `The property '${name}' must be an array.`)
      children[name] = value
      continue
    }
    const field = spec.properties[name]
    if (!field) {
      throw new BcHttpError(
        400,
        'BadRequest',
        `The property '${name}' does not exist on type 'Microsoft.NAV.${entityName}'. Make sure to only use property names that are defined by the type.`,
      )
    }
    if (field.readOnly)
      throw new BcHttpError(400, 'BadRequest_InvalidOperation', `Control '${name}' is read-only.`)
    fields[name] = checkValue(name, field, value, entityName)
  }
  return { fields, children }
}

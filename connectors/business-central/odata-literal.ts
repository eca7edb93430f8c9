/**
 * OData literals for `$filter`, built so that values can never change the expression's meaning:
 * strings are single-quoted with embedded quotes doubled; GUIDs, dates and datetimes are validated
 * and sent bare, as BC requires. A value that cannot be a literal is the record's fault: a `rejected`
 * ConnectorError naming the field, never a plain Error (which the runtime would retry as internal).
 */
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { FieldSpec, FieldType } from './api-fields.ts'

function notALiteral(what: string, value: unknown, field?: string): ConnectorError {
  const shown = JSON.stringify(value) ?? String(value)
  const where = field ? ` for ${field}` : ''
  return new ConnectorError(
    'rejected',
    `BC cannot filter${where} by ${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}: it is not ${what}.`,
    { field },
  )
}

/** `'O''Brien'`: a string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** A bare GUID literal; throws `rejected` if `value` is not a GUID. */
export function guidLiteral(value: string, field?: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw notALiteral('a GUID', value, field)
  }
  return value.toLowerCase()
}

/** A bare date literal `2026-04-15`; throws `rejected` for anything else. */
export function dateLiteral(value: string, field?: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw notALiteral('a date (YYYY-MM-DD)', value, field)
  return value
}

/** A bare UTC datetime literal with milliseconds, from any parseable timestamp. */
export function dateTimeLiteral(value: string | Date, field?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) throw notALiteral('a date and time', value, field)
  return date.toISOString()
}

/** A literal for a plain JSON value: strings quoted, numbers and booleans bare. */
export function literal(value: string | number | boolean, field?: string): string {
  if (typeof value === 'string') return quoteString(value)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'boolean') return String(value)
  // Mapped records are JSON: null, objects and arrays arrive here despite the type.
  throw notALiteral('a string, a finite number or a boolean', value, field)
}

/** A literal for `value` compared with a property of wire type `type` (GUIDs and dates go bare). */
export function typedLiteral(
  type: FieldType | undefined,
  value: string | number | boolean,
  field?: string,
): string {
  if (typeof value === 'string' && type === 'guid') return guidLiteral(value, field)
  if (typeof value === 'string' && type === 'date') return dateLiteral(value, field)
  if (typeof value === 'string' && type === 'datetime') return dateTimeLiteral(value, field)
  return literal(value, field)
}

/** `a eq 'x' and b eq 2`: equality on every field of `match`, typed by `properties`, joined by `and`. */
export function equalsAll(
  match: Record<string, string | number | boolean>,
  properties: Record<string, FieldSpec> = {},
): string {
  return Object.entries(match)
    .map(([field, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field))
        throw new ConnectorError(
          'config',
          `BC cannot filter by ${JSON.stringify(field).slice(0, 80)}: it is not a field name (check the flow's match).`,
          { field },
        )
      return `${field} eq ${typedLiteral(properties[field]?.type, value, field)}`
    })
    .join(' and ')
}

/**
 * OData literals for `$filter`, built so that values can never change the expression's meaning:
 * strings are single-quoted with embedded quotes doubled; GUIDs, dates and datetimes are validated
 * and sent bare, as BC requires.
 */
import type { FieldSpec, FieldType } from './api-fields.ts'

/** `'O''Brien'`: a string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** A bare GUID literal; throws if `value` is not a GUID. */
export function guidLiteral(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new Error(`not a GUID: ${JSON.stringify(value)}`)
  }
  return value.toLowerCase()
}

/** A bare date literal `2026-04-15`; throws for anything else. */
export function dateLiteral(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`not a date: ${JSON.stringify(value)}`)
  return value
}

/** A bare UTC datetime literal with milliseconds, from any parseable timestamp. */
export function dateTimeLiteral(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) throw new Error(`not a datetime: ${JSON.stringify(value)}`)
  return date.toISOString()
}

/** A literal for a plain JSON value: strings quoted, numbers and booleans bare. */
export function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return quoteString(value)
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a finite number')
  return String(value)
}

/** A literal for `value` compared with a property of wire type `type` (GUIDs and dates go bare). */
export function typedLiteral(type: FieldType | undefined, value: string | number | boolean): string {
  if (typeof value === 'string' && type === 'guid') return guidLiteral(value)
  if (typeof value === 'string' && type === 'date') return dateLiteral(value)
  if (typeof value === 'string' && type === 'datetime') return dateTimeLiteral(value)
  return literal(value)
}

/** `a eq 'x' and b eq 2`: equality on every field of `match`, typed by `properties`, joined by `and`. */
export function equalsAll(
  match: Record<string, string | number | boolean>,
  properties: Record<string, FieldSpec> = {},
): string {
  return Object.entries(match)
    .map(([field, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field))
        throw new Error(`not a field name: ${JSON.stringify(field)}`)
      return `${field} eq ${typedLiteral(properties[field]?.type, value)}`
    })
    .join(' and ')
}

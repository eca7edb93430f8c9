/**
 * Finds the expression fields of a manifest by walking its data along its schema: every string whose
 * schema carries an expression `contentMediaType` (see connector-expressions.ts). Alternatives
 * (`oneOf`) are followed into the form the data takes, as the diagnostics narrow them.
 */
import { JSONATA_MEDIA_TYPE, TEMPLATE_MEDIA_TYPE } from './connector-expressions.ts'
import { objectOf } from './manifest-data.ts'
import { escapePointer } from './manifest-source.ts'

type Schema = Record<string, any>

/** A field holding an expression. */
export interface ExpressionField {
  pointer: string
  kind: 'jsonata' | 'template'
  source: string
}

/** Every expression field of `data` under `schema`, in document order. */
export function expressionFields(schema: Schema, data: unknown, pointer = ''): ExpressionField[] {
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const branch = formOf((schema.oneOf ?? schema.anyOf) as Schema[], data)
    return branch ? expressionFields(branch, data, pointer) : []
  }
  if (typeof data === 'string') {
    if (schema.contentMediaType === JSONATA_MEDIA_TYPE) return [{ pointer, kind: 'jsonata', source: data }]
    if (schema.contentMediaType === TEMPLATE_MEDIA_TYPE) return [{ pointer, kind: 'template', source: data }]
    return []
  }
  if (Array.isArray(data)) {
    const items = objectOf(schema.items)
    return items ? data.flatMap((item, i) => expressionFields(items, item, `${pointer}/${i}`)) : []
  }
  const object = objectOf(data)
  if (!object) return []
  const properties = (objectOf(schema.properties) ?? {}) as Record<string, Schema>
  const rest = objectOf(schema.additionalProperties) as Schema | undefined
  return Object.entries(object).flatMap(([key, value]) => {
    const sub = properties[key] ?? rest
    return sub ? expressionFields(sub, value, `${pointer}/${escapePointer(key)}`) : []
  })
}

/** The alternative `data` is written in: the one of its type whose own keys it uses. */
function formOf(branches: Schema[], data: unknown): Schema | undefined {
  const type = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data
  const typed = branches.filter(
    (b) => b.type === undefined || b.type === type || (type === 'number' && b.type === 'integer'),
  )
  const object = objectOf(data)
  if (!object || typed.length <= 1) return typed[0]
  return typed.find((b) =>
    Object.keys(object).some((k) => k in (objectOf(b.properties) ?? {}) && !shared(branches, k)),
  )
}

function shared(branches: Schema[], key: string): boolean {
  return branches.filter((b) => key in (objectOf(b.properties) ?? {})).length > 1
}

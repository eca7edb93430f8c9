/**
 * Evaluates a parsed `$filter` against a wire record. Values compare by the property's wire type:
 * GUIDs and strings case-insensitively for GUIDs, enums by decoded member name (both spellings),
 * datetimes as instants, dates and numbers by value.
 */
import type { FieldSpec } from '../../api-fields.ts'
import { decodeEnum } from '../../odata-enum.ts'
import type { FilterNode, Operand } from './odata-filter.ts'

type Value = string | number | boolean | null | undefined

function normalise(value: Value, field: FieldSpec | undefined): Value {
  if (value === null || value === undefined || typeof value !== 'string') return value
  if (field?.type === 'guid') return value.toLowerCase()
  if (field?.type === 'enum') return decodeEnum(value).toLowerCase()
  if (field?.type === 'datetime') return Date.parse(value)
  return value
}

function evaluate(operand: Operand, record: Record<string, unknown>): Value {
  if (operand.kind === 'field') return record[operand.name] as Value
  if (operand.kind === 'literal') return operand.value
  const args = operand.args.map((a) => evaluate(a, record))
  const s = String(args[0] ?? '')
  switch (operand.name) {
    case 'tolower':
      return s.toLowerCase()
    case 'toupper':
      return s.toUpperCase()
    case 'substring':
      return s.substring(
        Number(args[1]),
        args[2] === undefined ? undefined : Number(args[1]) + Number(args[2]),
      )
    default:
      return null
  }
}

function fieldOf(operand: Operand, properties: Record<string, FieldSpec>): FieldSpec | undefined {
  if (operand.kind === 'field') return properties[operand.name]
  if (operand.kind === 'call') return undefined
  return undefined
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === 'eq') return a === b
  if (op === 'ne') return a !== b
  if (a === null || a === undefined || b === null || b === undefined) return false
  if (op === 'gt') return a > b
  if (op === 'ge') return a >= b
  if (op === 'lt') return a < b
  return a <= b
}

/** True when `record` satisfies `node`; `properties` gives the wire types. */
export function matches(
  node: FilterNode,
  record: Record<string, unknown>,
  properties: Record<string, FieldSpec>,
): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, record, properties) && matches(node.right, record, properties)
    case 'or':
      return matches(node.left, record, properties) || matches(node.right, record, properties)
    case 'not':
      return !matches(node.operand, record, properties)
    case 'call': {
      const [haystack, needle] = node.args.map((a) => String(evaluate(a, record) ?? ''))
      const caseless = node.args.some((a) => a.kind === 'call')
      const h = caseless ? haystack!.toLowerCase() : haystack!
      const n = caseless ? needle!.toLowerCase() : needle!
      if (node.name === 'startswith') return h.startsWith(n)
      if (node.name === 'endswith') return h.endsWith(n)
      if (node.name === 'contains') return h.includes(n)
      return false
    }
    case 'compare': {
      const field = fieldOf(node.left, properties) ?? fieldOf(node.right, properties)
      const a = normalise(evaluate(node.left, record), field)
      const b = normalise(evaluate(node.right, record), field)
      return compare(node.op, a, b)
    }
  }
}

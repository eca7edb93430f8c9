/**
 * The `$filter` subset BC supports: eq/ne/gt/ge/lt/le, and/or/not, parentheses, startswith/endswith/
 * contains/tolower/toupper; string literals in single quotes, GUIDs, dates and datetimes bare.
 * `or` across different fields is refused with BC's message, as the AL filter translation does.
 */
import { BcHttpError } from './bc-http-error.ts'

/** A parsed filter expression. */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'call'; name: string; args: Operand[] }

/** A value in a comparison or function call. */
export type Operand =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null; literalType: 'string' | 'bare' }
  | { kind: 'call'; name: string; args: Operand[] }

const syntaxError = (detail: string) =>
  new BcHttpError(400, 'BadRequest', `Bad Request - Error in query syntax. ${detail}`.trim())

const tokenPattern =
  /\s*(?:('(?:[^']|'')*')|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))|(\d{4}-\d{2}-\d{2})|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([(),]))/y

function tokenize(text: string): string[] {
  const tokens: string[] = []
  tokenPattern.lastIndex = 0
  while (tokenPattern.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(tokenPattern.lastIndex))) break
    const at = tokenPattern.lastIndex
    const match = tokenPattern.exec(text)
    if (!match) throw syntaxError(`Unexpected character at position ${at}.`)
    tokens.push(match.slice(1).find((g) => g !== undefined)!)
  }
  return tokens
}

const functions = new Set(['startswith', 'endswith', 'contains', 'tolower', 'toupper', 'substring'])
const comparisons = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])

/** Parses a `$filter` value; throws BC's 400 for syntax it does not support. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text)
  let i = 0
  const peek = () => tokens[i]
  const take = (expected?: string) => {
    const token = tokens[i++]
    if (token === undefined || (expected && token.toLowerCase() !== expected))
      throw syntaxError(`Expected ${expected ?? 'more'}.`)
    return token
  }

  const operand = (): Operand => {
    const token = take()
    if (token.startsWith("'"))
      return { kind: 'literal', value: token.slice(1, -1).replace(/''/g, "'"), literalType: 'string' }
    if (functions.has(token.toLowerCase()) && peek() === '(') return call(token.toLowerCase())
    if (token === 'true' || token === 'false')
      return { kind: 'literal', value: token === 'true', literalType: 'bare' }
    if (token === 'null') return { kind: 'literal', value: null, literalType: 'bare' }
    if (/^-?\d+(\.\d+)?$/.test(token)) return { kind: 'literal', value: Number(token), literalType: 'bare' }
    if (/^\d{4}-|^[0-9a-fA-F]{8}-/.test(token)) return { kind: 'literal', value: token, literalType: 'bare' }
    if (/^[A-Za-z_]/.test(token)) return { kind: 'field', name: token }
    throw syntaxError(`Unexpected '${token}'.`)
  }

  const call = (name: string): Operand & { kind: 'call' } => {
    take('(')
    const args: Operand[] = [operand()]
    while (peek() === ',') {
      take(',')
      args.push(operand())
    }
    take(')')
    return { kind: 'call', name, args }
  }

  const primary = (): FilterNode => {
    if (peek() === '(') {
      take('(')
      const inner = or()
      take(')')
      return inner
    }
    if (peek()?.toLowerCase() === 'not') {
      take()
      return { kind: 'not', operand: primary() }
    }
    const left = operand()
    const op = peek()?.toLowerCase()
    if (op && comparisons.has(op)) {
      take()
      return { kind: 'compare', op, left, right: operand() }
    }
    if (left.kind === 'call') return left
    throw syntaxError('Expected a comparison.')
  }

  const and = (): FilterNode => {
    let node = primary()
    while (peek()?.toLowerCase() === 'and') {
      take()
      node = { kind: 'and', left: node, right: primary() }
    }
    return node
  }

  const or = (): FilterNode => {
    let node = and()
    while (peek()?.toLowerCase() === 'or') {
      take()
      node = { kind: 'or', left: node, right: and() }
    }
    return node
  }

  const root = or()
  if (i < tokens.length) throw syntaxError(`Unexpected '${tokens[i]}'.`)
  checkOrFields(root)
  return root
}

function fieldsOf(node: FilterNode | Operand, out = new Set<string>()): Set<string> {
  if (node.kind === 'field') out.add(node.name)
  else if (node.kind === 'and' || node.kind === 'or') {
    fieldsOf(node.left, out)
    fieldsOf(node.right, out)
  } else if (node.kind === 'not') fieldsOf(node.operand, out)
  else if (node.kind === 'compare') {
    fieldsOf(node.left, out)
    fieldsOf(node.right, out)
  } else if (node.kind === 'call') for (const a of node.args) fieldsOf(a, out)
  return out
}

function checkOrFields(node: FilterNode): void {
  if (node.kind === 'or') {
    if (fieldsOf(node).size > 1) {
      throw new BcHttpError(
        400,
        'BadRequest',
        "The 'OR' operator is not supported on distinct fields on an OData filter.",
      )
    }
  }
  if (node.kind === 'and' || node.kind === 'or') {
    checkOrFields(node.left)
    checkOrFields(node.right)
  } else if (node.kind === 'not') checkOrFields(node.operand)
}

/** `field eq literal` pairs that must all hold (the top-level `and` chain), for index lookups. */
export function equalityHints(node: FilterNode): [string, string | number | boolean][] {
  if (node.kind === 'and') return [...equalityHints(node.left), ...equalityHints(node.right)]
  if (
    node.kind === 'compare' &&
    node.op === 'eq' &&
    node.left.kind === 'field' &&
    node.right.kind === 'literal'
  ) {
    const value = node.right.value
    if (value !== null) return [[node.left.name, value]]
  }
  return []
}

/** Every field the filter names (to reject unknown properties). */
export function filterFields(node: FilterNode): string[] {
  return [...fieldsOf(node)]
}

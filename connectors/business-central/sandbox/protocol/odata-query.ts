/**
 * Query options on a collection: `$filter`, `$orderby`, `$skip`, `$top`, `$count`, `$select`,
 * `$expand` (nested, with its own `$select`/`$expand`/`$filter`) and server-driven paging with an
 * opaque `$skiptoken` holding the sort key of the last row, so a page never repeats or skips rows.
 */
import type { FieldSpec } from '../../api-fields.ts'
import type { Entity } from '../state/table.ts'
import { BcHttpError } from './bc-http-error.ts'
import { matches } from './odata-compare.ts'
import { type FilterNode, filterFields, parseFilter } from './odata-filter.ts'

/** One `$expand` item. */
export interface ExpandOption {
  nav: string
  select?: string[]
  filter?: FilterNode
  expand?: ExpandOption[]
}

/** Parsed query options of one request. */
export interface QueryOptions {
  filter?: FilterNode
  orderby: [string, 'asc' | 'desc'][]
  top?: number
  skip?: number
  count: boolean
  select?: string[]
  expand: ExpandOption[]
  skiptoken?: unknown[]
}

const badRequest = (message: string) => new BcHttpError(400, 'BadRequest', message)

/** Splits on `sep` outside parentheses and quotes. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "'") quoted = !quoted
    else if (!quoted && c === '(') depth++
    else if (!quoted && c === ')') depth--
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim()).filter(Boolean)
}

/** Parses `lines($select=a,b;$expand=dims),dims`. */
export function parseExpand(text: string): ExpandOption[] {
  return splitTop(text, ',').map((item) => {
    const open = item.indexOf('(')
    if (open < 0) return { nav: item }
    const option: ExpandOption = { nav: item.slice(0, open).trim() }
    for (const part of splitTop(item.slice(open + 1, -1), ';')) {
      const eq = part.indexOf('=')
      const name = part.slice(0, eq).trim()
      const value = part.slice(eq + 1)
      if (name === '$select') option.select = value.split(',').map((s) => s.trim())
      else if (name === '$expand') option.expand = parseExpand(value)
      else if (name === '$filter') option.filter = parseFilter(value)
      else throw badRequest(`The query option '${name}' is not supported inside $expand.`)
    }
    return option
  })
}

function checkFields(fields: string[], properties: Record<string, FieldSpec>, entity: string): void {
  for (const field of fields) {
    if (!properties[field]) {
      throw badRequest(`Could not find a property named '${field}' on type 'Microsoft.NAV.${entity}'.`)
    }
  }
}

function integer(name: string, value: string | null): number | undefined {
  if (value === null) return undefined
  if (!/^\d+$/.test(value)) throw badRequest(`Invalid value '${value}' for ${name} query option.`)
  return Number(value)
}

/** Parses the query options of a collection request against the entity's properties. */
export function parseQuery(
  params: URLSearchParams,
  properties: Record<string, FieldSpec>,
  entityName: string,
  navigation: string[],
): QueryOptions {
  const filterText = params.get('$filter')
  const filter = filterText ? parseFilter(filterText) : undefined
  if (filter) checkFields(filterFields(filter), properties, entityName)
  const orderby = (params.get('$orderby') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [field, dir] = s.split(/\s+/)
      return [field!, dir?.toLowerCase() === 'desc' ? 'desc' : 'asc'] as [string, 'asc' | 'desc']
    })
  checkFields(
    orderby.map(([f]) => f),
    properties,
    entityName,
  )
  const select = params
    .get('$select')
    ?.split(',')
    .map((s) => s.trim())
  if (select) checkFields(select, properties, entityName)
  const expand = params.get('$expand') ? parseExpand(params.get('$expand')!) : []
  for (const e of expand) {
    if (!navigation.includes(e.nav)) {
      throw badRequest(`Could not find a property named '${e.nav}' on type 'Microsoft.NAV.${entityName}'.`)
    }
  }
  const token = params.get('$skiptoken')
  let skiptoken: unknown[] | undefined
  if (token) {
    try {
      skiptoken = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown[]
    } catch {
      throw badRequest('The skip token is not valid.')
    }
  }
  return {
    filter,
    orderby,
    top: integer('$top', params.get('$top')),
    skip: integer('$skip', params.get('$skip')),
    count: params.get('$count') === 'true',
    select,
    expand,
    skiptoken,
  }
}

function sortKey(entity: Entity, orderby: [string, 'asc' | 'desc'][]): unknown[] {
  return [...orderby.map(([f]) => entity.data[f] ?? null), entity.seq]
}

function compareKeys(a: unknown[], b: unknown[], orderby: [string, 'asc' | 'desc'][]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as any
    const y = b[i] as any
    if (x === y) continue
    const sign = orderby[i]?.[1] === 'desc' ? -1 : 1
    if (x === null) return -sign
    if (y === null) return sign
    return x < y ? -sign : sign
  }
  return 0
}

/** The rows of one page, the token of the next page (when more remain) and the total count. */
export interface QueryResult {
  rows: Entity[]
  nextToken?: string
  count: number
}

/** Filters, orders and pages `candidates`. `$top` disables server paging, as in BC. */
export function runQuery(
  candidates: Iterable<Entity>,
  options: QueryOptions,
  properties: Record<string, FieldSpec>,
  pageSize: number,
): QueryResult {
  let keyed = [...candidates].map((entity) => ({ entity, key: sortKey(entity, options.orderby) }))
  if (options.filter) keyed = keyed.filter((k) => matches(options.filter!, k.entity.data, properties))
  const count = keyed.length
  // Rows up to the skiptoken's key are dropped before sorting, so paging through a large table does
  // not sort the whole table again for every page.
  const token = options.top === undefined ? options.skiptoken : undefined
  const afterToken = (k: { key: unknown[] }) => compareKeys(k.key, token!, options.orderby) > 0
  if (token && !options.skip) keyed = keyed.filter(afterToken)
  keyed.sort((a, b) => compareKeys(a.key, b.key, options.orderby))
  if (options.skip) keyed = keyed.slice(options.skip)
  if (token && options.skip) keyed = keyed.filter(afterToken)
  const rows = keyed.map((k) => k.entity)
  if (options.top !== undefined) return { rows: rows.slice(0, options.top), count }
  if (rows.length <= pageSize) return { rows, count }
  const page = rows.slice(0, pageSize)
  const last = page[page.length - 1]!
  return {
    rows: page,
    count,
    nextToken: Buffer.from(JSON.stringify(sortKey(last, options.orderby))).toString('base64url'),
  }
}

/** Keeps only the selected properties (annotations always stay). */
export function project(
  record: Record<string, unknown>,
  select: string[] | undefined,
): Record<string, unknown> {
  if (!select) return record
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith('@odata.') || select.includes(key)) out[key] = value
  }
  return out
}

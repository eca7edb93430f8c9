/**
 * Incremental, server-paged reads of one BC entity set.
 *
 * A run asks `$filter=lastModifiedDateTime ge {since}&$orderby=lastModifiedDateTime` with
 * `Prefer: odata.maxpagesize` and follows `@odata.nextLink` verbatim (never `$top/$skip`, which
 * would disable server paging). Each page's cursor holds the nextLink, so a crash resumes mid-run;
 * the last page's cursor moves `since` to the newest record seen. `ge` (not `gt`) re-reads the
 * newest record once per run, so a change committed in the same millisecond is never lost; the
 * runtime's key+version dedupe drops the repeat.
 */
import type { ConnectorContext, Page, ReadRequest } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { entitySpec } from './api-fields.ts'
import { type ApiAnswer, callApi, collection } from './call-api.ts'
import { companyUrl } from './company-url.ts'
import type { Config } from './config.ts'
import { decodeRecord } from './decode-record.ts'
import { dateTimeLiteral, equalsAll, guidLiteral } from './odata-literal.ts'
import { formatCursor, later, parseCursor } from './read-cursor.ts'

/** How a stream reads its entity set. */
export interface CollectionSource {
  entitySet: string
  /** `$expand` value, e.g. `purchaseInvoiceLines($expand=dimensionSetLines),dimensionSetLines`. */
  expand?: string
  /** Path under the company when not the entity set itself (e.g. `journals({id})/journalLines`). */
  path?: string
}

/** BC's default and maximum page size online. */
export const maxPageSize = 20_000
const defaultPageSize = 1_000
const idsPerRequest = 20

/** The `$filter` conjuncts the manifest's `source.query` asks for: known fields by equality, `$filter` raw. */
function queryFilters(entitySet: string, query: Record<string, unknown>): string[] {
  const spec = entitySpec(entitySet)
  const filters: string[] = []
  const match: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(query)) {
    if (key === '$filter' && typeof value === 'string') filters.push(`(${value})`)
    else if (spec.properties[key] && ['string', 'number', 'boolean'].includes(typeof value)) {
      match[key] = value as string | number | boolean
    } else {
      throw new ConnectorError('config', `The query field "${key}" is not a property of ${entitySet}.`)
    }
  }
  if (Object.keys(match).length > 0) filters.push(equalsAll(match, spec.properties))
  return filters
}

function collectionUrl(base: string, source: CollectionSource, filters: string[], orderby: boolean): string {
  const params: string[] = []
  if (filters.length > 0) params.push(`$filter=${encodeURIComponent(filters.join(' and '))}`)
  if (orderby) params.push(`$orderby=${encodeURIComponent('lastModifiedDateTime asc')}`)
  if (source.expand) params.push(`$expand=${encodeURIComponent(source.expand)}`)
  const url = `${base}/${source.path ?? source.entitySet}`
  return params.length > 0 ? `${url}?${params.join('&')}` : url
}

function pageSizeOf(req: ReadRequest): number {
  return Math.max(1, Math.min(maxPageSize, Math.floor(req.pageSize ?? defaultPageSize)))
}

/** Reads `source` page by page from `req.cursor`; see the module comment for the cursor semantics. */
export async function* readCollection(
  ctx: ConnectorContext<Config>,
  source: CollectionSource,
  req: ReadRequest,
): AsyncIterable<Page> {
  const base = await companyUrl(ctx)
  const headers = { prefer: `odata.maxpagesize=${pageSizeOf(req)}` }
  const incremental = Boolean(entitySpec(source.entitySet).properties.lastModifiedDateTime)
  const decode = (value: Record<string, unknown>[]) => value.map((r) => decodeRecord(source.entitySet, r))

  if (req.ids && req.ids.length > 0) {
    for (let i = 0; i < req.ids.length; i += idsPerRequest) {
      const ids = req.ids.slice(i, i + idsPerRequest).map((id) => `id eq ${guidLiteral(id)}`)
      let url: string | undefined = collectionUrl(base, source, [`(${ids.join(' or ')})`], false)
      while (url) {
        const answer: ApiAnswer<{ '@odata.nextLink'?: string }> = await callApi(ctx, {
          method: 'GET',
          url,
          headers,
        })
        yield { records: decode(collection(answer)), cursor: req.cursor, calls: 1 }
        url = answer.body['@odata.nextLink']
      }
    }
    return
  }

  const cursor = parseCursor(req.cursor)
  let url = cursor.nextLink
  let seen = cursor.seen
  const since = later(cursor.since, req.window?.from)
  if (!url) {
    const filters = queryFilters(source.entitySet, req.query)
    if (incremental && since) filters.push(`lastModifiedDateTime ge ${dateTimeLiteral(since)}`)
    if (incremental && req.window?.to)
      filters.push(`lastModifiedDateTime lt ${dateTimeLiteral(req.window.to)}`)
    url = collectionUrl(base, source, filters, incremental)
  }
  while (url) {
    const answer: ApiAnswer<{ '@odata.nextLink'?: string }> = await callApi(ctx, {
      method: 'GET',
      url,
      headers,
    })
    const records = collection(answer)
    for (const r of records) seen = later(seen, r.lastModifiedDateTime as string | undefined)
    const nextLink = answer.body['@odata.nextLink']
    const next = nextLink ? { since, nextLink, seen } : { since: incremental ? (seen ?? since) : undefined }
    yield { records: decode(records), cursor: incremental || nextLink ? formatCursor(next) : null, calls: 1 }
    url = nextLink
  }
}

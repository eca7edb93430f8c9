/**
 * Reading a declared stream page by page: the first request from the manifest, the next ones by its
 * paging style (next link in the body, Link header, offset, page number, continuation token in body
 * or header), records picked by the record selector and filter, an incremental lower bound sent and
 * advanced, and a cursor after every page that is a complete resume point.
 */
import type { ConnectorContext, Page, ReadRequest } from '../../core/connector/connector.ts'
import type { Evaluate } from './compile-expression.ts'
import { linkWithRel } from './link-header.ts'
import { decodeCursor, encodeCursor, later } from './read-cursor.ts'
import { selectRecords } from './select-records.ts'
import { type Answer, type CompiledRequest, type HttpRuntime, sendRequest } from './send-request.ts'

/** A paging style, compiled. */
export type CompiledPaging =
  | { style: 'nextLink'; link: Evaluate }
  | { style: 'linkHeader'; rel: string }
  | { style: 'offset'; param: string }
  | { style: 'pageNumber'; param: string; start: number }
  | {
      style: 'token'
      next: { body: Evaluate } | { header: string }
      send: { query: string } | { header: string }
    }

/** A read spec, compiled. */
export interface CompiledRead {
  request: CompiledRequest
  records?: Evaluate
  filter?: Evaluate
  paging?: CompiledPaging
  pageSize?: { param: string; max: number }
  incremental?: { cursor: Evaluate; param: string }
  emptyOn: readonly number[]
  byIds?: { request: CompiledRequest; records?: Evaluate; emptyOn: readonly number[] }
}

type Records = Record<string, unknown>[]

async function keep(read: CompiledRead, records: Records, query: Record<string, unknown>): Promise<Records> {
  if (!read.filter) return records
  const kept: Records = []
  for (const record of records) if (await read.filter(record, { query })) kept.push(record)
  return kept
}

async function* readByIds(rt: HttpRuntime, read: CompiledRead, ctx: ConnectorContext, req: ReadRequest) {
  const byIds = read.byIds!
  const records: Records = []
  let calls = 0
  for (const id of req.ids ?? []) {
    const answer = await sendRequest(
      rt,
      ctx,
      byIds.request,
      { config: ctx.config, query: req.query, id },
      { expect: byIds.emptyOn },
    )
    calls += answer.calls
    if (answer.status >= 300 && byIds.emptyOn.includes(answer.status)) continue
    records.push(...(await selectRecords(answer.body, byIds.records)))
  }
  yield { records: await keep(read, records, req.query), cursor: null, calls }
}

async function nextPage(
  paging: CompiledPaging | undefined,
  answer: Answer,
  raw: number,
  size: number | undefined,
  current: string | number | undefined,
): Promise<string | number | undefined> {
  const text = (v: unknown) =>
    typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
  switch (paging?.style) {
    case 'nextLink': {
      const link = text(await paging.link(answer.body ?? {}))
      return link === undefined ? undefined : new URL(link, answer.url).toString()
    }
    case 'linkHeader':
      return linkWithRel(answer.headers.get('link'), paging.rel, answer.url)
    case 'offset':
      return raw > 0 && size !== undefined && raw >= size ? Number(current ?? 0) + raw : undefined
    case 'pageNumber':
      return raw > 0 && size !== undefined && raw >= size ? Number(current ?? paging.start) + 1 : undefined
    case 'token':
      return 'body' in paging.next
        ? text(await paging.next.body(answer.body ?? {}))
        : text(answer.headers.get(paging.next.header))
    default:
      return undefined
  }
}

/** Yields the pages of a read from `req.cursor` on (see the contract's `Stream.read`). */
export async function* readPages(
  rt: HttpRuntime,
  read: CompiledRead,
  ctx: ConnectorContext,
  req: ReadRequest,
): AsyncGenerator<Page> {
  if (req.ids?.length && read.byIds) {
    yield* readByIds(rt, read, ctx, req)
    return
  }
  const position = decodeCursor(req.cursor)
  const since = req.cursor ? position.since : read.incremental ? req.window?.from : undefined
  let max = position.max
  let next = position.next
  const size = read.pageSize
    ? Math.max(1, Math.min(read.pageSize.max, req.pageSize ?? read.pageSize.max))
    : undefined
  const until = read.incremental ? req.window?.to : undefined
  const context = { config: ctx.config, query: req.query, window: req.window ?? {}, since }
  const paging = read.paging
  for (;;) {
    const query: Record<string, string | number | undefined> = {}
    const headers: Record<string, string> = {}
    const followsLink = paging?.style === 'nextLink' || paging?.style === 'linkHeader'
    if (!(followsLink && next !== undefined)) {
      if (read.pageSize && size !== undefined) query[read.pageSize.param] = size
      if (read.incremental && since !== undefined && since !== null)
        query[read.incremental.param] = String(since)
      if (paging?.style === 'offset') query[paging.param] = next ?? 0
      if (paging?.style === 'pageNumber') query[paging.param] = next ?? paging.start
      if (paging?.style === 'token' && next !== undefined) {
        if ('query' in paging.send) query[paging.send.query] = String(next)
        else headers[paging.send.header] = String(next)
      }
    }
    const answer = await sendRequest(rt, ctx, read.request, context, {
      url: followsLink && next !== undefined ? String(next) : undefined,
      query,
      headers,
      expect: read.emptyOn,
    })
    const empty = answer.status >= 300 && read.emptyOn.includes(answer.status)
    const raw = empty
      ? []
      : await selectRecords(answer.body, read.records, { headers: Object.fromEntries(answer.headers) })
    let records = await keep(read, raw, req.query)
    if (read.incremental) {
      const kept: Records = []
      for (const record of records) {
        const value = await read.incremental.cursor(record)
        max = later(max, value)
        if (until === undefined || value === undefined || value === null || String(value) < until)
          kept.push(record)
      }
      records = kept
    }
    const following = empty ? undefined : await nextPage(paging, answer, raw.length, size, next)
    // A remote that hands out the same position again would loop forever: that is the end.
    if (following !== undefined && following !== next) {
      next = following
      yield { records, cursor: encodeCursor({ next, since, max }), calls: answer.calls }
      continue
    }
    yield {
      records,
      cursor: read.incremental ? encodeCursor({ since: later(since, max) }) : null,
      calls: answer.calls,
    }
    return
  }
}

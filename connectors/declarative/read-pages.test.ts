import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { declared, readAll, remoteContext } from './test-env.ts'

const items = Array.from({ length: 7 }, (_, i) => ({
  id: `i${i + 1}`,
  updatedAt: `2026-11-0${i + 1}T00:00:00Z`,
}))

/** A remote that pages the same seven items in every style the format knows. */
function remote() {
  const app = new Hono()
  const size = (q: string | undefined) => Number(q ?? 3)
  app.get('/next-link', (c) => {
    const from = Number(c.req.query('from') ?? 0)
    const next = from + 3 < items.length ? `/next-link?from=${from + 3}` : null
    return c.json({ data: items.slice(from, from + 3), links: { next } })
  })
  app.get('/link-header', (c) => {
    const from = Number(c.req.query('from') ?? 0)
    const headers: Record<string, string> = {}
    if (from + 3 < items.length)
      headers.link = `<https://remote.test/link-header?from=${from + 3}>; rel="next", </x>; rel="last"`
    return c.json(items.slice(from, from + 3), 200, headers)
  })
  app.get('/offset', (c) => {
    const offset = Number(c.req.query('offset'))
    return c.json({ rows: items.slice(offset, offset + size(c.req.query('limit'))) })
  })
  app.get('/pages', (c) => {
    const page = Number(c.req.query('page'))
    const n = size(c.req.query('size'))
    return c.json({ rows: items.slice((page - 1) * n, page * n) })
  })
  app.get('/token-body', (c) => {
    const from = Number(c.req.query('cursor') ?? 0)
    return c.json({
      data: items.slice(from, from + 3),
      meta: { next: from + 3 < items.length ? String(from + 3) : null },
    })
  })
  app.get('/token-header', (c) => {
    const from = Number(c.req.header('x-continuation') ?? 0)
    const headers: Record<string, string> =
      from + 3 < items.length ? { 'x-continuation': String(from + 3) } : {}
    if (from >= items.length) return c.json({ message: 'nothing' }, 404)
    return c.json({ data: items.slice(from, from + 3) }, 200, headers)
  })
  app.get('/changed', (c) => {
    const since = c.req.query('since')
    const page = Number(c.req.query('page') ?? 1)
    const changed = items.filter((i) => !since || i.updatedAt >= since)
    return c.json({ rows: changed.slice((page - 1) * 3, page * 3) })
  })
  app.get('/items/:id', (c) => {
    const item = items.find((i) => i.id === c.req.param('id'))
    return item ? c.json(item) : c.json({ message: 'no such item' }, 404)
  })
  return app
}

const manifest = (read: string) =>
  declared(`version: 1
id: pager
title: Pager
baseUrl: https://remote.test
streams:
  items:
    description: Items.
    read:
${read
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`)

const styles: [string, string][] = [
  ['next link in the body', 'path: /next-link\nrecords: data\npaging: { nextLink: links.next }'],
  ['Link header', 'path: /link-header\npaging: { linkHeader: next }'],
  [
    'offset/limit',
    'path: /offset\nrecords: rows\npaging: { offset: { param: offset } }\npageSize: { param: limit, max: 3 }',
  ],
  [
    'page number',
    'path: /pages\nrecords: rows\npaging: { pageNumber: { param: page } }\npageSize: { param: size, max: 3 }',
  ],
  [
    'continuation token in the body',
    'path: /token-body\nrecords: data\npaging: { token: { next: { body: meta.next }, send: { query: cursor } } }',
  ],
  [
    'continuation token in a header, 404 as the end',
    'path: /token-header\nrecords: data\nemptyOn: [404]\npaging: { token: { next: { header: x-continuation }, send: { header: x-continuation } } }',
  ],
]

describe('declared reads', () => {
  it.each(styles)('pages by %s: every record once, a resumable cursor after each page', async (_, read) => {
    const connector = manifest(read)
    const { ctx, seen } = remoteContext(remote())
    const { records, pages, cursors } = await readAll(connector, 'items', ctx)
    expect(records.map((r) => r.id)).toEqual(items.map((i) => i.id))
    expect(pages.length).toBeGreaterThanOrEqual(3)
    expect(cursors.at(-1)).toBeNull()
    expect(pages.reduce((n, p) => n + ((p as { calls?: number }).calls ?? 0), 0)).toBe(seen.length)
    // Resuming from the second page's cursor reads only what came after it.
    const resumed = await readAll(connector, 'items', ctx, { cursor: cursors[1]! })
    expect(resumed.records.map((r) => r.id)).toEqual(
      items.slice(pages[0]!.records.length + pages[1]!.records.length).map((i) => i.id),
    )
  })

  it('clamps the page size the flow asks for to the declared maximum', async () => {
    const connector = manifest(
      'path: /pages\nrecords: rows\npaging: { pageNumber: { param: page } }\npageSize: { param: size, max: 3 }',
    )
    const { ctx, seen } = remoteContext(remote())
    await readAll(connector, 'items', ctx, { pageSize: 500 })
    expect(seen.map((r) => r.url.searchParams.get('size'))).toEqual(['3', '3', '3'])
    seen.length = 0
    await readAll(connector, 'items', ctx, { pageSize: 2 })
    expect(seen[0]!.url.searchParams.get('size')).toBe('2')
  })

  it('reads incrementally: sends the last cursor value, and the final cursor remembers it', async () => {
    const connector = manifest(`path: /changed
records: rows
paging: { pageNumber: { param: page } }
pageSize: { param: size, max: 3 }
incremental: { cursor: updatedAt, param: since }`)
    const { ctx, seen } = remoteContext(remote())
    const first = await readAll(connector, 'items', ctx)
    expect(first.records).toHaveLength(7)
    expect(seen[0]!.url.searchParams.has('since')).toBe(false)
    expect(JSON.parse(first.cursors.at(-1)!)).toEqual({ s: '2026-11-07T00:00:00Z' })
    seen.length = 0
    const next = await readAll(connector, 'items', ctx, { cursor: first.cursors.at(-1)! })
    expect(seen[0]!.url.searchParams.get('since')).toBe('2026-11-07T00:00:00Z')
    expect(next.records.map((r) => r.id)).toEqual(['i7'])
    expect(next.cursors.at(-1)).toBe(first.cursors.at(-1))
  })

  it('reads a backfill window: from is the lower bound, records at or after to are left out', async () => {
    const connector = manifest(`path: /changed
records: rows
paging: { pageNumber: { param: page } }
pageSize: { param: size, max: 3 }
incremental: { cursor: updatedAt, param: since }`)
    const { ctx, seen } = remoteContext(remote())
    const { records } = await readAll(connector, 'items', ctx, {
      window: { from: '2026-11-03T00:00:00Z', to: '2026-11-05T00:00:00Z' },
    })
    expect(seen[0]!.url.searchParams.get('since')).toBe('2026-11-03T00:00:00Z')
    expect(records.map((r) => r.id)).toEqual(['i3', 'i4'])
  })

  it('reads just the records a webhook named, skipping ids the remote no longer has', async () => {
    const connector = manifest(`path: /offset
byIds: { path: "/items/{{ id }}", emptyOn: [404] }`)
    const { ctx, seen } = remoteContext(remote())
    const { records, cursors } = await readAll(connector, 'items', ctx, { ids: ['i2', 'gone', 'i5'] })
    expect(records.map((r) => r.id)).toEqual(['i2', 'i5'])
    expect(cursors).toEqual([null])
    expect(seen.map((r) => r.url.pathname)).toEqual(['/items/i2', '/items/gone', '/items/i5'])
  })

  it('keeps only the records the filter accepts, with the flow query at hand', async () => {
    const connector = manifest(`path: /offset
records: rows
filter: id != $query.skip
paging: { offset: { param: offset } }
pageSize: { param: limit, max: 3 }`)
    const { ctx } = remoteContext(remote())
    const { records } = await readAll(connector, 'items', ctx, { query: { skip: 'i4' } })
    expect(records.map((r) => r.id)).toEqual(['i1', 'i2', 'i3', 'i5', 'i6', 'i7'])
  })

  it('stops when the remote hands out the same token again instead of looping', async () => {
    const app = new Hono().get('/stuck', (c) => c.json({ data: [{ id: 'x' }], next: 'same' }))
    const connector = manifest(
      'path: /stuck\nrecords: data\npaging: { token: { next: { body: next }, send: { query: t } } }',
    )
    const { ctx, seen } = remoteContext(app)
    const { records } = await readAll(connector, 'items', ctx)
    expect(records).toHaveLength(2)
    expect(seen).toHaveLength(2)
  })
})

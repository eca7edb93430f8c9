import { describe, expect, it } from 'vitest'
import type { Page } from '../../core/connector/connector.ts'
import { isValidMst } from '../../core/vietnam/mst.ts'
import { businessCentral } from './index.ts'
import { apiCalls, startTestEnv } from './test-env.ts'

const { vendors, purchaseInvoices } = businessCentral.streams

async function all(iter: AsyncIterable<Page>): Promise<Page[]> {
  const pages: Page[] = []
  for await (const page of iter) pages.push(page)
  return pages
}

describe('reading from Business Central', () => {
  it('follows @odata.nextLink with Prefer: odata.maxpagesize instead of $top/$skip', async () => {
    const { ctx, fetch } = await startTestEnv()
    const pages = await all(vendors!.read!(ctx, { cursor: null, query: {}, pageSize: 3 }))
    expect(pages.map((p) => p.records.length)).toEqual([3, 3, 2])
    const calls = apiCalls(fetch.calls).filter((r) => r.url.includes('/vendors'))
    expect(calls.every((r) => r.headers.get('prefer') === 'odata.maxpagesize=3')).toBe(true)
    expect(calls[1]!.url).toContain('$skiptoken=')
    expect(calls.some((r) => /\$top|\$skip=/.test(decodeURIComponent(r.url)))).toBe(false)
  })

  it('puts the nextLink in the page cursor, and moves the watermark only at the end of a run', async () => {
    const { ctx } = await startTestEnv()
    const [first] = await all(vendors!.read!(ctx, { cursor: null, query: {}, pageSize: 5 }))
    expect(JSON.parse(first!.cursor!).nextLink).toContain('$skiptoken=')
    const rest = await all(vendors!.read!(ctx, { cursor: first!.cursor, query: {}, pageSize: 5 }))
    expect(rest.flatMap((p) => p.records)).toHaveLength(3)
    const final = JSON.parse(rest.at(-1)!.cursor!)
    const newest = [...first!.records, ...rest.flatMap((p) => p.records)]
      .map((r) => String(r.lastModifiedDateTime))
      .sort()
      .at(-1)
    expect(final).toEqual({ since: newest })
  })

  it('reads incrementally on lastModifiedDateTime: only what changed since the cursor', async () => {
    const { ctx } = await startTestEnv()
    const run = await all(vendors!.read!(ctx, { cursor: null, query: {}, pageSize: 100 }))
    const cursor = run.at(-1)!.cursor
    const target = run[0]!.records.find((r) => r.number === 'V0030')!
    await vendors!.write!(ctx, {
      operation: 'update',
      record: { phoneNumber: '+84 236 3822 000' },
      existing: { id: String(target.id), etag: String(target['@odata.etag']), record: target },
      idempotencyKey: 'k1',
    })
    const next = await all(vendors!.read!(ctx, { cursor, query: {}, pageSize: 100 }))
    const numbers = next.flatMap((p) => p.records).map((r) => r.number)
    expect(numbers).toContain('V0030')
    expect(numbers.length).toBeLessThanOrEqual(2)
  })

  it('bounds a backfill window and reads only the ids a webhook named', async () => {
    const { ctx } = await startTestEnv()
    const none = await all(
      vendors!.read!(ctx, { cursor: null, query: {}, window: { to: '2000-01-01T00:00:00Z' } }),
    )
    expect(none.flatMap((p) => p.records)).toHaveLength(0)
    const [page] = await all(vendors!.read!(ctx, { cursor: null, query: {} }))
    const ids = page!.records.slice(0, 2).map((r) => String(r.id))
    const byIds = await all(vendors!.read!(ctx, { cursor: 'keep-me', query: {}, ids }))
    expect(byIds.flatMap((p) => p.records).map((r) => r.id)).toEqual(ids)
    expect(byIds[0]!.cursor).toBe('keep-me')
  })

  it('expands lines and dimension set lines and decodes enum values', async () => {
    const { ctx } = await startTestEnv()
    const pages = await all(purchaseInvoices!.read!(ctx, { cursor: null, query: { status: 'Open' } }))
    const invoices = pages.flatMap((p) => p.records)
    expect(invoices.length).toBeGreaterThan(0)
    const invoice = invoices[0]! as any
    expect(invoice.status).toBe('Open')
    expect(invoice.purchaseInvoiceLines[0].lineType).toBe('Account')
    const lineDims = invoice.purchaseInvoiceLines.flatMap((l: any) => l.dimensionSetLines)
    expect(lineDims[0].parentType).toBe('Purchase Invoice Line')
    expect(lineDims.map((d: any) => d.code)).toContain('DEPARTMENT')
  })

  it('quotes string literals so values cannot change the filter', async () => {
    const { ctx, control } = await startTestEnv()
    await control('seed', {
      vendors: [{ number: 'V9001', displayName: "O'Brien Trading", taxRegistrationNumber: '0109999999' }],
    })
    const found = await vendors!.find!(ctx, { displayName: "O'Brien Trading" })
    expect(found?.number).toBe('V9001')
    expect(await vendors!.find!(ctx, { displayName: "x' or number ne 'y" })).toBeNull()
  })

  it('refuses a query field the entity does not have, before calling BC', async () => {
    const { ctx } = await startTestEnv()
    await expect(all(vendors!.read!(ctx, { cursor: null, query: { colour: 'red' } }))).rejects.toMatchObject({
      kind: 'config',
    })
  })
})

describe('the sandbox under many vendors', () => {
  it('generates vendors in bulk that page through in order, each once, with valid MSTs', async () => {
    const { ctx, control } = await startTestEnv()
    const before = (await all(vendors!.read!(ctx, { cursor: null, query: {}, pageSize: 1000 }))).flatMap(
      (p) => p.records,
    )
    const made = await control('vendors/generate', { count: 2500 })
    expect(made).toMatchObject({ count: 2500 })
    const pages = await all(vendors!.read!(ctx, { cursor: null, query: {}, pageSize: 1000 }))
    const records = pages.flatMap((p) => p.records)
    expect(pages.map((p) => p.records.length)).toEqual([1000, 1000, 500 + before.length])
    expect(new Set(records.map((r) => r.number)).size).toBe(2500 + before.length)
    const generated = records.filter((r) => String(r.displayName).startsWith('Công ty TNHH Nhà Cung Cấp'))
    expect(generated).toHaveLength(2500)
    expect(generated.every((r) => isValidMst(String(r.taxRegistrationNumber)))).toBe(true)
    expect(await control('vendors/generate', { count: 0 })).toMatchObject({ error: { code: 'SandboxError' } })
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorContext, Page } from '../../../core/connector/connector.ts'
import { isConnectorError } from '../../../core/connector/connector-error.ts'
import { basware } from '../index.ts'
import { startTestEnv } from '../test-env.ts'
import type { AccountingDocument } from './accounting-documents.ts'

const stream = basware.streams.accountingDocuments!
let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

async function start() {
  const context = await startTestEnv()
  close = () => context.sandbox.close()
  return context
}

async function readAll(
  ctx: ConnectorContext,
  req: Partial<Parameters<NonNullable<typeof stream.read>>[1]> = {},
) {
  const pages: Page<AccountingDocument>[] = []
  for await (const page of stream.read!(ctx, {
    cursor: null,
    query: { processingStatus: 'WaitingForTransfer' },
    ...req,
  }))
    pages.push(page)
  return pages
}

describe('accountingDocuments read', () => {
  it('follows the 302 without the Authorization header and pages with the header token over the same query', async () => {
    const { ctx, fetch } = await start()
    const pages = await readAll(ctx, { pageSize: 5 })
    expect(pages.length).toBe(5)
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.invoiceId))).size).toBe(24)
    expect(pages.at(-1)!.cursor).toBeNull()
    expect(pages.slice(0, -1).every((p) => typeof p.cursor === 'string')).toBe(true)

    const downloads = fetch.calls.filter((r) => r.url.includes('/__s3/'))
    expect(downloads).toHaveLength(5)
    for (const request of downloads) expect(request.headers.get('authorization')).toBeNull()
    const listCalls = fetch.calls.filter((r) => new URL(r.url).pathname.endsWith('/v1/accountingDocuments'))
    expect(listCalls.every((r) => r.headers.get('authorization')?.startsWith('Bearer '))).toBe(true)
    expect(new Set(listCalls.map((r) => new URL(r.url).search)).size).toBe(1)
    expect(listCalls[0]!.headers.get('x-amz-meta-continuationtoken')).toBeNull()
    expect(listCalls.slice(1).map((r) => r.headers.get('x-amz-meta-continuationtoken'))).toEqual(
      pages.slice(0, -1).map((p) => p.cursor),
    )
  })

  it('treats the 404 of an empty result as no records, not an error', async () => {
    const { ctx } = await start()
    const pages = await readAll(ctx, { query: { processingStatus: 'Transferred' } })
    expect(pages).toEqual([{ records: [], cursor: null, calls: 1 }])
  })

  it('reads only the notified documents when given ids, skipping unknown or moved-on ones', async () => {
    const { ctx, control } = await start()
    const { invoiceIds } = await control('GET', 'documents?processingStatus=WaitingForTransfer')
    await stream.claim!(ctx, { invoiceId: invoiceIds[1], processingStatus: 'WaitingForTransfer' })
    const pages = await readAll(ctx, { ids: [invoiceIds[0], invoiceIds[1], 'not-there'] })
    expect(pages).toHaveLength(1)
    expect(pages[0]!.records.map((r) => r.invoiceId)).toEqual([invoiceIds[0]])
  })

  it('reads the notified documents side by side, in the order named', async () => {
    const { ctx, control } = await start()
    const { invoiceIds } = await control('GET', 'documents?processingStatus=WaitingForTransfer')
    const named = [...invoiceIds].reverse().slice(0, 12) as string[]
    let inFlight = 0
    let most = 0
    const counted: ConnectorContext = {
      ...ctx,
      fetch: async (input, init) => {
        most = Math.max(most, ++inFlight)
        try {
          return await ctx.fetch(input, init)
        } finally {
          inFlight--
        }
      },
    }
    const pages = await readAll(counted, { ids: named })
    expect(pages[0]!.records.map((r) => r.invoiceId)).toEqual(named)
    // A batch of notifications waited for the sum of its reads when they went one by one.
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(8)
  })

  it('renews the token and carries on when Basware answers 401 mid-paging', async () => {
    const { ctx, control } = await start()
    await control('POST', 'faults', {
      status: 401,
      expireTokens: true,
      path: '/v1/accountingDocuments',
      skip: 1,
    })
    const pages = await readAll(ctx, { pageSize: 10 })
    expect(pages.flatMap((p) => p.records)).toHaveLength(24)
    const stats = await control('GET', 'stats')
    expect(stats.byRoute['POST /v1/tokens']).toBe(2)
  })

  it('starts over from page 1 when Basware no longer accepts the continuation token', async () => {
    const { ctx, log } = await start()
    const pages = await readAll(ctx, { pageSize: 10, cursor: 'stale-token' })
    expect(pages.flatMap((p) => p.records)).toHaveLength(24)
    expect(log.lines.some((l) => l.includes('continuation token'))).toBe(true)
  })

  it('reports throttling as rate_limited with the Retry-After delay', async () => {
    const { ctx, control } = await start()
    await control('POST', 'faults', {
      status: 429,
      retryAfter: '12',
      path: '/v1/accountingDocuments',
    })
    const error = await readAll(ctx).catch((e: unknown) => e)
    expect(isConnectorError(error) && [error.kind, error.retryAfterMs]).toEqual(['rate_limited', 12_000])
  })
})

describe('accountingDocuments claim', () => {
  it('acknowledges a document, and answers already when Basware says 405', async () => {
    const { ctx, control } = await start()
    const [first] = (await readAll(ctx, { pageSize: 1 }))[0]!.records
    expect(await stream.claim!(ctx, first!)).toBe('claimed')
    expect(await stream.claim!(ctx, first!)).toBe('already')
    expect((await control('GET', `documents/${first!.invoiceId}`)).document.processingStatus).toBe(
      'TransferInProgress',
    )
  })
})

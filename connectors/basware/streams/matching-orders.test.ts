import { afterEach, describe, expect, it } from 'vitest'
import type { WriteRequest, WriteResult } from '../../../core/connector/connector.ts'
import { basware } from '../index.ts'
import { POLL_SCHEDULE_KEY } from '../request-status.ts'
import { startTestEnv } from '../test-env.ts'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

async function start() {
  const context = await startTestEnv()
  context.ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 120, maxStepMs: 200, totalMs: 2_000 })
  close = () => context.sandbox.close()
  const posts = (api: string) =>
    context.fetch.calls.filter((r) => r.method === 'POST' && new URL(r.url).pathname.endsWith(`/v1/${api}`))
  return { ...context, posts }
}

const req = (record: Record<string, unknown>): WriteRequest => ({
  operation: 'upsert',
  record,
  idempotencyKey: String(record.externalCode ?? record.orderExternalCode),
})

const line = (order: string, n: number, extra: Record<string, unknown> = {}) => ({
  externalCode: `${order}-${n}`,
  orderExternalCode: order,
  lineNumber: String(n),
  quantity: 10,
  netPrice: 1_000_000,
  netSum: 10_000_000,
  matchingMode: 'Standard',
  isReceiptRequired: true,
  isDeleted: false,
  ...extra,
})

const order = (number: string, lineCount = 1, extra: Record<string, unknown> = {}) => {
  const code = `VN01-${number}`
  return {
    externalCode: code,
    orderNumber: number,
    sourceSystem: 'BC',
    companyCode: 'VN01',
    organizationElementCode: 'VN01',
    currencyCode: 'VND',
    supplierCode: 'V0010',
    lines: Array.from({ length: lineCount }, (_, i) => line(code, (i + 1) * 10000)),
    ...extra,
  }
}

const failure = (r: WriteResult | undefined) => (r as Extract<WriteResult, { status: 'failed' }>).error

describe('matchingOrders stream', () => {
  it('posts headers before lines, cuts lines to 100 per request and reports each order', async () => {
    const { ctx, control, posts, fetch } = await start()
    const results = await basware.streams.matchingOrders!.writeMany!(ctx, [
      req(order('PO-1', 150)),
      req(order('PO-2', 3)),
    ])
    expect(results.map((r) => r.status)).toEqual(['done', 'done'])
    expect(results[0]).toMatchObject({ id: 'VN01-PO-1', number: 'PO-1' })
    expect(posts('matchingOrders')).toHaveLength(1)
    const linePosts = posts('matchingOrderLines')
    expect(linePosts).toHaveLength(2)
    expect(((await linePosts[0]!.clone().json()) as unknown[]).length).toBe(100)
    expect(fetch.calls.indexOf(posts('matchingOrders')[0]!)).toBeLessThan(fetch.calls.indexOf(linePosts[0]!))
    expect((await control('GET', 'master-data/matchingOrderLines')).records).toHaveLength(153)
  })

  it('fails only the order Basware refuses, with its message, and still delivers the others', async () => {
    const { ctx } = await start()
    const results = await basware.streams.matchingOrders!.writeMany!(ctx, [
      req(order('PO-3', 1, { supplierCode: 'V9999' })),
      req(order('PO-4', 1, { currencyCode: 'VNDX' })),
      req(order('PO-5', 2)),
    ])
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'done'])
    expect(failure(results[0]).kind).toBe('rejected')
    expect(failure(results[0]).remoteMessage).toContain("Supplier 'V9999' does not exist in P2P")
    expect(failure(results[0]).remoteCode).toBe('DataValidation')
    expect(failure(results[1]).remoteCode).toBe('SCHEMA_VALIDATION_ERROR')
    expect(failure(results[1]).remoteMessage).toContain('/currencyCode')
  })

  it('reports a refused line against its order', async () => {
    const { ctx } = await start()
    const bad = order('PO-6', 2)
    bad.lines[1] = line('VN01-PO-6', 20000, { quantity: 0 })
    const [result] = await basware.streams.matchingOrders!.writeMany!(ctx, [req(bad)])
    expect(result!.status).toBe('failed')
    expect(failure(result).message).toContain("line 'VN01-PO-6-20000'")
    expect(failure(result).remoteMessage).toContain('quantity must be higher than zero')
  })

  it('sends an unchanged order no more, and Basware skips an identical re-post', async () => {
    const { ctx, posts, withConfig } = await start()
    const po = order('PO-7', 2)
    expect((await basware.streams.matchingOrders!.write!(ctx, req(po))).status).toBe('done')
    const again = await basware.streams.matchingOrders!.write!(ctx, req(po))
    expect(again).toMatchObject({ status: 'skipped', reason: expect.stringContaining('Identical') })
    expect(posts('matchingOrders')).toHaveLength(1)
    // Another worker without the remembered hash: Basware itself answers NotProcessed.
    const other = withConfig({})
    other.memo.set(POLL_SCHEDULE_KEY, { firstMs: 120, maxStepMs: 200, totalMs: 2_000 })
    const fresh = await basware.streams.matchingOrders!.write!(other, req(po))
    expect(fresh).toMatchObject({ status: 'skipped', reason: expect.stringContaining('NotProcessed') })
  })

  it('keeps goods receipts Basware holds when an order is re-sent without them', async () => {
    const { ctx, control } = await start()
    const po = order('PO-8', 1)
    await basware.streams.matchingOrders!.write!(ctx, req(po))
    const receipt = await basware.streams.matchingGoodsReceipts!.write!(
      ctx,
      req({
        orderExternalCode: 'VN01-PO-8',
        goodsReceipts: [
          {
            lineExternalCode: 'VN01-PO-8-10000',
            externalCode: 'VN01-PR-1-10000',
            goodsReceiptNumber: 'PR-1',
            quantity: 4,
          },
        ],
      }),
    )
    expect(receipt).toMatchObject({ status: 'done', id: 'PR-1' })
    const changed = { ...po, lines: [{ ...po.lines[0]!, quantity: 12 }] }
    expect((await basware.streams.matchingOrders!.write!(ctx, req(changed))).status).toBe('done')
    const [stored] = (await control('GET', 'master-data/matchingOrderLines')).records
    expect(stored).toMatchObject({
      quantity: 12,
      goodsReceipts: [{ goodsReceiptNumber: 'PR-1', quantity: 4 }],
    })
  })
})

describe('matchingGoodsReceipts stream', () => {
  const receipt = (n: string, quantity: number, lineCode = 'VN01-PO-9-10000') => ({
    lineExternalCode: lineCode,
    externalCode: `VN01-${n}-${lineCode.slice(-5)}`,
    goodsReceiptNumber: n,
    goodsReceiptLineNumber: lineCode.slice(-5),
    quantity,
  })

  it('adds receipts to their lines, replaces a re-sent one, and skips an unchanged one', async () => {
    const { ctx, control } = await start()
    await basware.streams.matchingOrders!.write!(ctx, req(order('PO-9', 2)))
    const write = (record: Record<string, unknown>) =>
      basware.streams.matchingGoodsReceipts!.write!(ctx, req(record))
    const first = {
      orderExternalCode: 'VN01-PO-9',
      goodsReceipts: [receipt('PR-1', 4), receipt('PR-1', 10, 'VN01-PO-9-20000')],
    }
    expect((await write(first)).status).toBe('done')
    expect(
      (await write({ orderExternalCode: 'VN01-PO-9', goodsReceipts: [receipt('PR-2', 6)] })).status,
    ).toBe('done')
    expect(
      (await write({ orderExternalCode: 'VN01-PO-9', goodsReceipts: [receipt('PR-2', 5)] })).status,
    ).toBe('done')
    expect(
      await write({ orderExternalCode: 'VN01-PO-9', goodsReceipts: [receipt('PR-2', 5)] }),
    ).toMatchObject({
      status: 'skipped',
    })
    const lines = (await control('GET', 'master-data/matchingOrderLines')).records as any[]
    const first10000 = lines.find((l) => l.externalCode === 'VN01-PO-9-10000')
    expect(first10000.goodsReceipts.map((r: any) => [r.goodsReceiptNumber, r.quantity])).toEqual([
      ['PR-1', 4],
      ['PR-2', 5],
    ])
  })

  it('retries later when the order is not in Basware yet, and rejects an invalid receipt with Basware’s message', async () => {
    const { ctx } = await start()
    await expect(
      basware.streams.matchingGoodsReceipts!.write!(
        ctx,
        req({ orderExternalCode: 'VN01-PO-X', goodsReceipts: [receipt('PR-3', 1, 'VN01-PO-X-10000')] }),
      ),
    ).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringContaining("no lines of order 'VN01-PO-X'"),
    })
    await basware.streams.matchingOrders!.write!(ctx, req(order('PO-10', 1)))
    const bad = { ...receipt('PR-4', 1, 'VN01-PO-10-10000'), goodsReceiptNumber: '' }
    const result = await basware.streams.matchingGoodsReceipts!.write!(
      ctx,
      req({ orderExternalCode: 'VN01-PO-10', goodsReceipts: [bad] }),
    )
    expect(result.status).toBe('failed')
    expect(failure(result)).toMatchObject({ kind: 'rejected', remoteCode: 'SCHEMA_VALIDATION_ERROR' })
    expect(failure(result).remoteMessage).toContain('goodsReceiptNumber')
  })
})

/**
 * Conformance of the Basware sandbox with the documented order-matching APIs, over raw HTTP:
 * matchingOrders and matchingOrderLines imports, their requestStatus stage, and their GETs.
 */
import { describe, expect, it } from 'vitest'
import { call, h, useSandbox } from './conformance-harness.ts'

const order = (externalCode: string, extra: Record<string, unknown> = {}) => ({
  externalCode,
  orderNumber: externalCode.replace('VN01-', ''),
  sourceSystem: 'BC',
  companyCode: 'VN01',
  organizationElementCode: 'VN01',
  currencyCode: 'VND',
  supplierCode: 'V0010',
  ...extra,
})
const line = (orderExternalCode: string, n: number, extra: Record<string, unknown> = {}) => ({
  externalCode: `${orderExternalCode}-${n}`,
  orderExternalCode,
  lineNumber: String(n),
  quantity: 5,
  netPrice: 200_000,
  matchingMode: 'Standard',
  isDeleted: false,
  ...extra,
})

useSandbox()

async function itemsOf(res: Response) {
  h.clock += 200
  const r = await call('GET', `/v1/requestStatus/${res.headers.get('x-amzn-RequestId')}`)
  const body = (await r.json()) as {
    requestStatus: {
      entityType: string
      systems: {
        items: {
          externalCode: string
          parentExternalCode: string | null
          status: string
          errors: { message: string }[] | null
        }[]
      }[]
    }[]
  }
  return body.requestStatus[0]!
}

describe('matching order imports', () => {
  it('validates headers field by field against OrderEntity and names the offending record', async () => {
    const res = await call('POST', '/v1/matchingOrders', {
      body: [
        order('VN01-PO-1'),
        order('VN01-PO-2', { organizationElementCode: 'X', unknownField: 1 }),
        order('VN01-PO-3', { supplierCode: undefined, isClosed: 'no' }),
      ],
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: { externalCode: string; code: string; message: string }[] }
    expect(body.errors.every((e) => e.code === 'SCHEMA_VALIDATION_ERROR')).toBe(true)
    const messages = (code: string) =>
      body.errors.filter((e) => e.externalCode === code).map((e) => e.message)
    expect(messages('VN01-PO-1')).toEqual([])
    expect(messages('VN01-PO-2').join('\n')).toMatch(/organizationElementCode.*fewer than 2/)
    expect(messages('VN01-PO-2').join('\n')).toContain('unknownField')
    expect(messages('VN01-PO-3').join('\n')).toContain("must have required property 'supplierCode'")
    expect(messages('VN01-PO-3').join('\n')).toContain('/isClosed must be boolean,null')
    // A refused request stores nothing.
    expect((await call('GET', '/v1/matchingOrders')).status).toBe(404)
  })

  it('accepts the documented line fields (coding, goods receipts) and refuses a bad matchingMode or 101 lines', async () => {
    await call('POST', '/v1/matchingOrders', { body: [order('VN01-PO-1')] })
    const full = line('VN01-PO-1', 10000, {
      orderLineCoding: [{ externalCode: 'C1', rowIndex: 0, allocatedQuantity: 5, costCenterCode: 'ADM' }],
      goodsReceipts: [
        { externalCode: 'GR1', goodsReceiptNumber: 'PR-1', quantity: 5, deliveryDate: '2026-06-01' },
      ],
      referenceUsers: [{ userEmail: 'buyer@example.vn', userRole: 'Buyer' }],
    })
    expect((await call('POST', '/v1/matchingOrderLines', { body: [full] })).status).toBe(200)
    const wrongMode = await call('POST', '/v1/matchingOrderLines', {
      body: [line('VN01-PO-1', 20000, { matchingMode: 'Quantity' })],
    })
    expect(wrongMode.status).toBe(400)
    expect(JSON.stringify(await wrongMode.json())).toContain(
      '/matchingMode must be equal to one of the allowed values',
    )
    const tooMany = await call('POST', '/v1/matchingOrderLines', {
      body: Array.from({ length: 101 }, (_, i) => line('VN01-PO-1', i + 1)),
    })
    expect(tooMany.status).toBe(400)
    expect(JSON.stringify(await tooMany.json())).toContain('At most 100 records')
  })

  it('refuses lines whose order header was never imported, and headers of suppliers P2P does not know', async () => {
    const headers = await call('POST', '/v1/matchingOrders', {
      body: [order('VN01-PO-1'), order('VN01-PO-2', { supplierCode: 'V9999' })],
    })
    const lines = await call('POST', '/v1/matchingOrderLines', {
      body: [line('VN01-PO-1', 1), line('VN01-PO-404', 1)],
    })
    const headerStatus = await itemsOf(headers)
    expect(headerStatus.entityType).toBe('MatchingOrder')
    expect(headerStatus.systems[0]!.items.map((i) => i.status)).toEqual(['Success', 'Error'])
    expect(headerStatus.systems[0]!.items[1]!.errors![0]!.message).toContain("Supplier 'V9999'")
    const lineStatus = await itemsOf(lines)
    expect(lineStatus.entityType).toBe('MatchingOrderLine')
    expect(lineStatus.systems[0]!.items.map((i) => [i.parentExternalCode, i.status])).toEqual([
      ['VN01-PO-1', 'Success'],
      ['VN01-PO-404', 'Error'],
    ])
    expect(lineStatus.systems[0]!.items[1]!.errors![0]!.message).toContain("Order header 'VN01-PO-404'")
  })

  it('lists lines per order only, paged by a continuation header, and reads one record', async () => {
    await call('POST', '/v1/matchingOrders', { body: [order('VN01-PO-1'), order('VN01-PO-2')] })
    await call('POST', '/v1/matchingOrderLines', {
      body: [...[1, 2, 3].map((n) => line('VN01-PO-1', n)), line('VN01-PO-2', 1)],
    })
    expect((await call('GET', '/v1/matchingOrderLines')).status).toBe(400)
    const first = await call('GET', '/v1/matchingOrderLines?orderExternalCode=VN01-PO-1&pageSize=2')
    const token = first.headers.get('x-amz-meta-continuationtoken')
    expect(token).toBeTruthy()
    const second = await call('GET', '/v1/matchingOrderLines?orderExternalCode=VN01-PO-1&pageSize=2', {
      headers: { 'x-amz-meta-continuationtoken': token! },
    })
    const codes = [first, second].map(async (r) =>
      ((await r.json()) as { matchingOrderLines: { externalCode: string }[] }).matchingOrderLines.map(
        (l) => l.externalCode,
      ),
    )
    expect((await Promise.all(codes)).flat()).toEqual(['VN01-PO-1-1', 'VN01-PO-1-2', 'VN01-PO-1-3'])
    expect(second.headers.get('x-amz-meta-continuationtoken')).toBeNull()
    const one = await call('GET', '/v1/matchingOrders/VN01-PO-2')
    expect(await one.json()).toMatchObject({ externalCode: 'VN01-PO-2', lastUpdated: expect.any(String) })
    expect((await call('GET', '/v1/matchingOrderLines/VN01-PO-9-1')).status).toBe(404)
  })

  it('refuses an import without a valid token', async () => {
    const res = await call('POST', '/v1/matchingOrders', { body: [order('VN01-PO-1')], auth: 'Bearer nope' })
    expect(res.status).toBe(401)
  })
})

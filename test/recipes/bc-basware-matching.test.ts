/**
 * The bc-basware purchase-order and receipt flows, run once each by the engine against the BC and
 * Basware sandboxes: BC's open orders arrive as Basware matching orders with their lines, and the
 * posted receipt as received quantities on those lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { defaultRecipesDir, loadRecipes } from '../../runtime/api/load-recipes.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { toStoredManifest } from '../../runtime/engine/stored-manifest.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createEngineHarness, testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const BC = 'http://sandbox.localhost/bc'
const BW = 'http://sandbox.localhost/basware'

describe('bc-basware purchase orders and receipts, end to end through the engine', () => {
  let t: TestDatabase
  let bc: Sandbox
  let bw: Sandbox
  let h: ReturnType<typeof createEngineHarness>

  beforeAll(async () => {
    t = await createTestDatabase('bc-basware-matching')
    bc = await testRegistry['business-central']!.sandbox!({ baseUrl: BC, seed: 'demo' })
    bw = await testRegistry.basware!.sandbox!({ baseUrl: BW, seed: 'demo' })
    h = createEngineHarness(t.db, {
      fetch: sandboxFetch([
        { baseUrl: BC, sandbox: bc },
        { baseUrl: BW, sandbox: bw },
      ]),
    })
  })
  afterAll(async () => {
    await bc?.close()
    await bw?.close()
    await t?.drop()
  })

  const basware = async (collection: string): Promise<any[]> =>
    ((await (await bw.fetch(new Request(`${BW}/__sandbox/master-data/${collection}`))).json()) as any).records

  it('sends released, not fully invoiced orders with their lines, then the receipt’s quantities', async () => {
    const recipe = loadRecipes(defaultRecipesDir, catalogFromConnectors(testRegistry), silentLogger).find(
      (r) => r.name === 'bc-basware',
    )!
    const flow = (name: string) => toStoredManifest(recipe.flows.find((f) => f.name === name)!)
    const tenant = await h.tenant('matching')
    const bcConn = await h.connection(tenant.id, 'bc', 'business-central', bc.connectionConfig())
    const bwConn = await h.connection(tenant.id, 'basware', 'basware', bw.connectionConfig())
    const bindings = { bc: bcConn.id, basware: bwConn.id }

    const orders = await h.flow(tenant.id, flow('bc-purchase-orders-to-basware') as never, bindings)
    const first = await runFlow(h.deps, orders, { trigger: 'test' })
    // The demo company has PO-1001 and PO-1002 released (Open) and PO-1003 still a Draft.
    expect(first).toMatchObject({ read: 2, inserted: 2 })
    const headers = await basware('matchingOrders')
    expect(headers.map((o) => o.orderNumber).sort()).toEqual(['PO-1001', 'PO-1002'])
    expect(headers.find((o) => o.orderNumber === 'PO-1001')).toMatchObject({
      externalCode: 'VN01-PO-1001',
      supplierCode: 'V0020',
      currencyCode: 'VND',
      isDelivered: true,
    })
    const lines = await basware('matchingOrderLines')
    expect(lines.map((l) => [l.externalCode, l.quantity])).toEqual(
      expect.arrayContaining([
        ['VN01-PO-1001-10000', 10],
        ['VN01-PO-1002-10000', 20],
      ]),
    )

    const receipts = await h.flow(tenant.id, flow('bc-purchase-receipts-to-basware') as never, bindings)
    expect(await runFlow(h.deps, receipts, { trigger: 'test' })).toMatchObject({ read: 1, inserted: 1 })
    const received = (await basware('matchingOrderLines')).find(
      (l) => l.externalCode === 'VN01-PO-1001-10000',
    )
    expect(received.goodsReceipts).toEqual([
      expect.objectContaining({
        goodsReceiptNumber: 'PR-2001',
        quantity: 10,
        externalCode: 'VN01-PR-2001-10000',
      }),
    ])

    // A second run finds nothing new and leaves the received quantities in place.
    expect(await runFlow(h.deps, orders, { trigger: 'test' })).toMatchObject({ inserted: 0 })
    const again = (await basware('matchingOrderLines')).find((l) => l.externalCode === 'VN01-PO-1001-10000')
    expect(again.goodsReceipts).toHaveLength(1)
  })
})

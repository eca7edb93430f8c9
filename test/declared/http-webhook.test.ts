/**
 * The generic inbound webhook source (the declared `http-webhook` connector) through the real
 * ingress, inbox and webhook worker: a signed JSON POST becomes the records of the listening flow,
 * the caller gets what the flow maps it to, a repeated delivery id is stored once, a forged or
 * oversized one is refused and stores nothing.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnectorRegistry } from '../../connectors/index.ts'
import type { Connector } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const registry: Record<string, Connector> = {
  ...testRegistry,
  'http-webhook': loadConnectorRegistry().registry['http-webhook']!,
}
const SECRET = 'hook-secret-4f1a9'

const flow: FlowManifest = {
  version: 1,
  name: 'orders-from-webhook',
  connections: { hook: 'http-webhook', dst: 'memory' },
  source: { connection: 'hook', stream: 'events' },
  trigger: { webhook: true },
  identity: { key: 'orderId' },
  map: `{ 'id': orderId, 'customer': $uppercase(customer), 'amount': $sum(lines.amount) }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
}

describe('http-webhook: a POSTed JSON payload becomes the records of a flow', () => {
  let t: TestDatabase
  let service: Service
  let url: string
  let flowId: string
  const dstSystem = `hook-dst-${Date.now()}`
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('http-webhook')
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry,
      log: silentLogger,
      workers: true,
    })
    const tenantId = (await ensureTenant(t.db, 'hooks')).id
    const hook = await saveConnection(t.db, box, {
      tenantId,
      name: 'hook',
      connector: 'http-webhook',
      config: { secret: SECRET },
      schema: registry['http-webhook']!.configSchema,
    })
    const dst = await saveConnection(t.db, box, {
      tenantId,
      name: 'dst',
      connector: 'memory',
      config: { systemId: dstSystem, token: 'memory-secret' },
      schema: registry.memory!.configSchema,
    })
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: flow.name,
      manifest: flow as never,
      sourceFile: 'x',
      bindings: { hook: hook.id, dst: dst.id },
    })
    flowId = saved.flow.id
    await service.flowControl.enable(tenantId, flowId)
    url = `/hooks/${tenantId}/${hook.id}`
  })
  afterAll(async () => {
    await service.stop()
    await t.drop()
  })

  const post = (payload: unknown, headers: Record<string, string> = {}, secret = SECRET) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
    return service.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ferry-signature': signature, ...headers },
      body,
    })
  }
  const inbox = async () =>
    Number(
      (await t.db
        .selectFrom('webhookInbox')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirst())!.n,
    )
  const delivered = () => memorySystem(dstSystem).table('documents')

  it('answers with the mapped record and delivers it once, even when the caller sends it again', async () => {
    const order = { orderId: 'SO-1', customer: 'contoso', lines: [{ amount: 10 }, { amount: 5.5 }] }
    const res = await post(order, { 'x-delivery-id': 'd-1' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 'SO-1', customer: 'CONTOSO', amount: 15.5 })
    await waitFor('SO-1 delivered', async () => delivered().has('SO-1'))
    expect(delivered().get('SO-1')).toMatchObject({ customer: 'CONTOSO', amount: 15.5 })

    const again = await post(order, { 'x-delivery-id': 'd-1' })
    expect(again.status).toBe(200)
    const records = await t.db
      .selectFrom('records')
      .select(['sourceKey', 'state'])
      .where('flowId', '=', flowId)
      .execute()
    expect(records).toEqual([{ sourceKey: 'SO-1', state: 'delivered' }])
    expect(await inbox()).toBe(1)
  })

  it('takes an array payload as several records', async () => {
    const res = await post([
      { orderId: 'SO-2', customer: 'a', lines: [] },
      { orderId: 'SO-3', customer: 'b', lines: [{ amount: 1 }] },
    ])
    expect(await res.json()).toEqual([
      { id: 'SO-2', customer: 'A' },
      { id: 'SO-3', customer: 'B', amount: 1 },
    ])
    await waitFor('SO-2 and SO-3 delivered', async () => delivered().has('SO-2') && delivered().has('SO-3'))
  })

  it('refuses a forged, unsigned, oversized or non-JSON delivery and stores nothing', async () => {
    const before = await inbox()
    expect((await post({ orderId: 'X' }, {}, 'not-the-secret')).status).toBe(401)
    const unsigned = await service.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(unsigned.status).toBe(401)
    expect((await post('not json')).status).toBe(400)
    expect((await post({ orderId: 'big', pad: 'x'.repeat(1024 * 1024) })).status).toBe(413)
    expect(await inbox()).toBe(before)
  })

  it('answers 422 with the mapping error, and the record waits as failed for a replay', async () => {
    const res = await post({ orderId: 'SO-4', customer: 42, lines: [] })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/could not map the payload.*uppercase/i)
    await waitFor('SO-4 failed', async () => {
      const row = await t.db
        .selectFrom('records')
        .select('state')
        .where('flowId', '=', flowId)
        .where('sourceKey', '=', 'SO-4')
        .executeTakeFirst()
      return row?.state === 'failed'
    })
  })
})

/**
 * Pushed deliveries that wait in the inbox together are taken together (issue 17, the n8n side by
 * side's lever): the webhook worker runs each listening flow once over the records of many
 * deliveries — one run row and one page transaction instead of one per delivery — and a delivery that
 * cannot be processed fails only its own job while the others are delivered.
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
import { saveFlowVersion, setFlowEnabled } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const registry: Record<string, Connector> = {
  ...testRegistry,
  'http-webhook': loadConnectorRegistry().registry['http-webhook']!,
}
const SECRET = 'hook-batch-secret'

const flow: FlowManifest = {
  version: 1,
  name: 'orders-in-bursts',
  connections: { hook: 'http-webhook', dst: 'memory' },
  source: { connection: 'hook', stream: 'events' },
  trigger: { webhook: true },
  identity: { key: 'orderId' },
  map: `{ 'id': orderId, 'amount': amount }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
}

describe('http-webhook: deliveries waiting together are processed together', () => {
  let t: TestDatabase
  let ingress: Service
  let worker: Service | undefined
  let url: string
  let flowId: string
  const dstSystem = `hook-batch-dst-${Date.now()}`
  const box = createSecretBox(randomBytes(32))
  const service = (workers: boolean) =>
    startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry,
      log: silentLogger,
      workers,
    })

  beforeAll(async () => {
    t = await createTestDatabase('http-webhook-batches')
    // The ingress alone: deliveries are stored and queued, nobody works them yet.
    ingress = await service(false)
    const tenantId = (await ensureTenant(t.db, 'hook-batches')).id
    const save = (name: string, connector: string, config: Record<string, unknown>) =>
      saveConnection(t.db, box, {
        tenantId,
        name,
        connector,
        config,
        schema: registry[connector]!.configSchema,
      })
    const hook = await save('hook', 'http-webhook', { secret: SECRET })
    const dst = await save('dst', 'memory', { systemId: dstSystem, token: 'memory-secret' })
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: flow.name,
      manifest: flow as never,
      sourceFile: 'x',
      bindings: { hook: hook.id, dst: dst.id },
    })
    flowId = saved.flow.id
    await setFlowEnabled(t.db, flowId, true)
    url = `/hooks/${tenantId}/${hook.id}`
  })
  afterAll(async () => {
    await worker?.stop()
    await ingress.stop()
    await t.drop()
  })

  const post = async (payload: unknown) => {
    const body = JSON.stringify(payload)
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
    const res = await ingress.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ferry-signature': signature },
      body,
    })
    expect(res.status).toBe(200)
  }

  const delivered = () => memorySystem(dstSystem).table('documents')
  const runsWithRecords = () =>
    t.db
      .selectFrom('runs')
      .select(['trigger', 'recordsNew'])
      .where('flowId', '=', flowId)
      .where('recordsNew', '>', 0)
      .execute()

  it('twelve waiting deliveries become far fewer runs, every record delivered once', async () => {
    for (let i = 1; i <= 12; i++) await post({ orderId: `B-${i}`, amount: i })
    worker = await service(true)
    await waitFor('the twelve delivered', async () => delivered().size === 12, 60_000)
    expect([...delivered().keys()].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `B-${i + 1}`).sort())
    const runs = await runsWithRecords()
    expect(runs.reduce((n, r) => n + r.recordsNew, 0)).toBe(12)
    // One fetch takes all that wait (up to 25); pg-boss has four lanes: at most a few runs, not twelve.
    expect(runs.length).toBeLessThanOrEqual(4)
  }, 90_000)

  it('a delivery that cannot be processed fails alone: the ones waiting with it are delivered', async () => {
    await worker!.stop()
    worker = undefined
    for (let i = 13; i <= 18; i++) await post({ orderId: `B-${i}`, amount: i })
    // No identity key: this delivery cannot become a record.
    await post({ amount: 99 })
    worker = await service(true)
    await waitFor('the six good ones delivered', async () => delivered().size === 18, 60_000)
    expect((await runsWithRecords()).reduce((n, r) => n + r.recordsNew, 0)).toBe(18)
    const waiting = (await t.db.selectFrom('webhookInbox').select(['state', 'events']).execute()).filter(
      (r) => r.state !== 'processed',
    )
    expect(waiting).toHaveLength(1)
    expect(JSON.stringify(waiting[0]!.events)).toContain('"amount":99')
  }, 90_000)
})

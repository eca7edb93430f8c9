/**
 * Deliveries that name changed records (Basware's notifications, the memory connector's `ids`) are
 * read by the webhook worker itself (issue 17, target 2): no flow-run job per delivery — that queue hop
 * was the largest part of a notified invoice's latency — and the deliveries waiting together are read
 * as one run per flow, every named record delivered once.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { QUEUES } from '../../runtime/queue/queues.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion, setFlowEnabled } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const flow: FlowManifest = {
  version: 1,
  name: 'notified-invoices',
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices' },
  trigger: { webhook: true },
  map: `{ 'ref': id, 'amount': amount }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
}

describe('webhook deliveries naming records are read by the webhook worker', () => {
  let t: TestDatabase
  let ingress: Service
  let worker: Service | undefined
  let url: string
  let flowId: string
  const srcSystem = `named-src-${Date.now()}`
  const dstSystem = `named-dst-${Date.now()}`
  const box = createSecretBox(randomBytes(32))
  const service = (workers: boolean) =>
    startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers,
    })

  beforeAll(async () => {
    t = await createTestDatabase('webhook-named-records')
    // The ingress alone: deliveries are stored and queued, nobody works them yet.
    ingress = await service(false)
    const tenantId = (await ensureTenant(t.db, 'named')).id
    const save = (name: string, systemId: string) =>
      saveConnection(t.db, box, {
        tenantId,
        name,
        connector: 'memory',
        config: { systemId, token: 'memory-secret' },
        schema: testRegistry.memory!.configSchema,
      })
    const src = await save('src', srcSystem)
    const dst = await save('dst', dstSystem)
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: flow.name,
      manifest: flow as never,
      sourceFile: 'x',
      bindings: { src: src.id, dst: dst.id },
    })
    flowId = saved.flow.id
    await setFlowEnabled(t.db, flowId, true)
    url = `/hooks/${tenantId}/${src.id}`
    memorySystem(srcSystem).seed(
      'invoices',
      Array.from({ length: 10 }, (_, i) => ({ id: `N-${i}`, amount: i })),
    )
  })
  afterAll(async () => {
    await worker?.stop()
    await ingress.stop()
    await t.drop()
  })

  it('ten notifications become no flow-run job and at most one run per lane, each record delivered once', async () => {
    for (let i = 0; i < 10; i++) {
      // The same record named twice in a burst is read and delivered once.
      const body = JSON.stringify({ stream: 'invoices', ids: i === 9 ? ['N-9', 'N-0'] : [`N-${i}`] })
      const signature = createHmac('sha256', 'memory-secret').update(body).digest('hex')
      const res = await ingress.app.request(url, {
        method: 'POST',
        body,
        headers: { 'x-memory-signature': signature },
      })
      expect(res.status).toBe(202)
    }
    worker = await service(true)
    const delivered = () => memorySystem(dstSystem).table('documents')
    await waitFor('the ten delivered', async () => delivered().size === 10, 60_000)
    await waitFor('the inbox processed', async () =>
      (await t.db.selectFrom('webhookInbox').select('state').execute()).every((r) => r.state === 'processed'),
    )
    expect(memorySystem(dstSystem).calls['write:documents']).toBe(10)
    const runJobs = await sql<{ n: string }>`
      select count(*) as n from pgboss.job where name = ${QUEUES.flowRun}`.execute(t.db)
    expect(Number(runJobs.rows[0]!.n)).toBe(0)
    const runs = await t.db
      .selectFrom('runs')
      .select(['trigger', 'recordsNew', 'state'])
      .where('flowId', '=', flowId)
      .execute()
    expect(runs.reduce((n, r) => n + r.recordsNew, 0)).toBe(10)
    // One fetch takes all that wait (up to 25); pg-boss has four lanes: at most a few runs, not ten.
    expect(runs.length).toBeLessThanOrEqual(4)
    expect(runs.every((r) => r.trigger === 'webhook' && r.state === 'succeeded')).toBe(true)
  }, 90_000)

  it('a notification of a record already stored writes no run row (its run row is written with its first new record)', async () => {
    const runsBefore = await t.db.selectFrom('runs').select('id').where('flowId', '=', flowId).execute()
    const inboxBefore = (await t.db.selectFrom('webhookInbox').select('id').execute()).length
    const body = JSON.stringify({ stream: 'invoices', ids: ['N-3'], nonce: 'again' })
    const signature = createHmac('sha256', 'memory-secret').update(body).digest('hex')
    const res = await ingress.app.request(url, {
      method: 'POST',
      body,
      headers: { 'x-memory-signature': signature },
    })
    expect(res.status).toBe(202)
    await waitFor('the repeat processed', async () => {
      const rows = await t.db.selectFrom('webhookInbox').select('state').execute()
      return rows.length === inboxBefore + 1 && rows.every((r) => r.state === 'processed')
    })
    expect(await t.db.selectFrom('runs').select('id').where('flowId', '=', flowId).execute()).toEqual(
      runsBefore,
    )
    expect(memorySystem(dstSystem).calls['write:documents']).toBe(10)
  }, 60_000)
})

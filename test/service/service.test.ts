import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { pollOutcomes } from '../../runtime/queue/poll-outcomes.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { listEvents } from '../../runtime/store/ledger-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const flow = (name: string, target: string, extra: Partial<FlowManifest> = {}): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 20 },
  trigger: { webhook: true },
  map: `{ 'ref': id, 'amount': amount }`,
  target: {
    connection: 'dst',
    stream: target,
    operation: 'create',
    ...(target === 'documents' ? { match: { ref: 'ref' }, then: ['post'] } : {}),
  },
  acknowledge: { operation: 'result', map: `{ 'ok': $result.ok, 'number': $result.number }` },
  ...extra,
})

describe('the service: queue workers, webhook ingress, asynchronous outcomes', () => {
  let t: TestDatabase
  let service: Service
  let tenantId: string
  let ids: { src: string; dst: string }
  const srcSystem = `svc-src-${Date.now()}`
  const dstSystem = `svc-dst-${Date.now()}`
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('service')
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: true,
    })
    tenantId = (await ensureTenant(t.db, 'svc')).id
    const schema = testRegistry.memory!.configSchema
    ids = {
      src: (
        await saveConnection(t.db, box, {
          tenantId,
          name: 'src',
          connector: 'memory',
          config: { systemId: srcSystem, token: 'memory-secret' },
          schema,
        })
      ).id,
      dst: (
        await saveConnection(t.db, box, {
          tenantId,
          name: 'dst',
          connector: 'memory',
          config: { systemId: dstSystem, token: 'memory-secret' },
          schema,
        })
      ).id,
    }
    memorySystem(srcSystem).seed(
      'invoices',
      Array.from({ length: 60 }, (_, i) => ({ id: `INV-${i}`, amount: i })),
    )
  })
  afterAll(async () => {
    await service.stop()
    await t.drop()
  })

  const states = (flowId: string) =>
    t.db.selectFrom('records').select(['state', 'sourceKey', 'id']).where('flowId', '=', flowId).execute()

  it('a run requested through flow control is delivered by the workers, exactly once', async () => {
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'queued',
      manifest: flow('queued', 'documents') as never,
      sourceFile: 'x',
      bindings: ids,
    })
    await service.flowControl.enable(tenantId, saved.flow.id)
    expect((await service.flowControl.runNow(tenantId, saved.flow.id)).queued).toBe(true)
    await waitFor(
      '60 delivered',
      async () => (await states(saved.flow.id)).filter((r) => r.state === 'delivered').length === 60,
    )
    const dst = memorySystem(dstSystem)
    expect(dst.table('documents').size).toBe(60)
    expect(dst.calls['write:documents']).toBe(60)
    expect(memorySystem(srcSystem).acknowledgements.filter((a) => a.payload.ok)).toHaveLength(60)
  })

  it('a signed webhook naming new records runs the flow for them; a forged one is refused and stores nothing', async () => {
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'queued',
      manifest: flow('queued', 'documents') as never,
      sourceFile: 'x',
      bindings: ids,
    })
    memorySystem(srcSystem).seed('invoices', [{ id: 'HOOK-1', amount: 7 }])
    const body = JSON.stringify({ stream: 'invoices', ids: ['HOOK-1'] })
    const sign = (b: string) => createHmac('sha256', 'memory-secret').update(b).digest('hex')
    const forged = await service.app.request(`/hooks/${tenantId}/${ids.src}`, {
      method: 'POST',
      body,
      headers: { 'x-memory-signature': sign('other') },
    })
    expect(forged.status).toBe(401)
    expect(forged.headers.get('content-type')).toContain('application/problem+json')
    expect(await t.db.selectFrom('webhookInbox').selectAll().execute()).toHaveLength(0)
    const ok = await service.app.request(`/hooks/${tenantId}/${ids.src}`, {
      method: 'POST',
      body,
      headers: { 'x-memory-signature': sign(body) },
    })
    expect(ok.status).toBe(202)
    await waitFor('HOOK-1 delivered', async () =>
      (await states(saved.flow.id)).find((r) => r.sourceKey === 'HOOK-1' && r.state === 'delivered'),
    )
    const unknown = await service.app.request(`/hooks/${tenantId}/00000000-0000-4000-8000-000000000000`, {
      method: 'POST',
      body,
    })
    expect(unknown.status).toBe(404)
  })

  it('pending writes complete from a callback, and from a poll when the callback is lost', async () => {
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'async',
      manifest: flow('async', 'async') as never,
      sourceFile: 'x',
      bindings: ids,
    })
    await service.flowControl.runNow(tenantId, saved.flow.id)
    const awaiting = await waitFor('records awaiting', async () => {
      const rows = await states(saved.flow.id)
      return rows.length > 0 && rows.every((r) => r.state === 'awaiting') ? rows : undefined
    })
    const records = await t.db.selectFrom('records').selectAll().where('flowId', '=', saved.flow.id).execute()
    const first = records[0]!
    const body = JSON.stringify({ stream: 'async', outcome: { id: first.correlationId, ok: true } })
    const sig = createHmac('sha256', 'memory-secret').update(body).digest('hex')
    const res = await service.app.request(`/hooks/${tenantId}/${ids.dst}`, {
      method: 'POST',
      body,
      headers: { 'x-memory-signature': sig },
    })
    expect(res.status).toBe(202)
    await waitFor('callback completes one', async () =>
      (await states(saved.flow.id)).find((r) => r.id === first.id && r.state === 'delivered'),
    )
    // The other callbacks are "lost": the remote knows the outcome, the poll finds it.
    for (const r of records.slice(1)) memorySystem(dstSystem).pending.get(r.correlationId!)!.outcome = 'done'
    // The connector asks to be polled only after its pollAfterMs (1 s for the in-memory one).
    await waitFor('poll completes the rest', async () => {
      await pollOutcomes(service.engine.deps)
      return (await states(saved.flow.id)).every((r) => r.state === 'delivered')
    })
    expect(awaiting.length).toBeGreaterThan(1)
    const events = await listEvents(t.db, first.id)
    expect(events.map((e) => e.type)).toContain('outcome')
    expect(events.at(-1)?.type).toBe('delivered')
  })

  it('replaying a failed record delivers it once the cause is fixed, without a duplicate', async () => {
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'replay',
      manifest: flow('replay', 'documents', {
        source: { connection: 'src', stream: 'invoices', query: { status: 'R' } },
      }) as never,
      sourceFile: 'x',
      bindings: ids,
    })
    memorySystem(srcSystem).seed('invoices', [{ id: 'R-1', amount: 1, status: 'R' }])
    memorySystem(dstSystem).faults.push({ operation: 'post', kind: 'rejected', message: 'period closed' })
    await service.flowControl.runNow(tenantId, saved.flow.id)
    const failed = await waitFor('R-1 failed', async () =>
      (await states(saved.flow.id)).find((r) => r.state === 'failed'),
    )
    expect(await service.flowControl.replay(tenantId, [failed.id], { version: 'latest' })).toEqual({
      queued: 1,
      skipped: 0,
    })
    await waitFor('R-1 delivered', async () =>
      (await states(saved.flow.id)).find((r) => r.state === 'delivered'),
    )
    const docs = [...memorySystem(dstSystem).table('documents').values()].filter((d) => d.ref === 'R-1')
    expect(docs).toHaveLength(1)
    expect(docs[0]!.status).toBe('Posted')
  })
})

import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { shiftClock } from '../support/shift-clock.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

/**
 * Per-key order (`order:`) through the real queue workers, with this process's clock at today, in
 * 2030 and in 2100: on 2026-11-22 a clock-derived sort key overflowed and every key's records were
 * delivered in hash order. Also: replays and asynchronous outcomes keep their key's order.
 */
describe.each([
  ['today', null],
  ['2030', '2030-06-15T12:00:00Z'],
  ['2100', '2100-01-01T00:00:00Z'],
])('per-key order with the clock at %s', (_label, clock) => {
  let t: TestDatabase
  let service: Service
  let restoreClock = () => {}
  let tenantId: string
  let ids: { src: string; dst: string }
  const run = `${_label}-${process.hrtime.bigint()}`
  const srcSystem = `ord-src-${run}`
  const dstSystem = `ord-dst-${run}`
  const box = createSecretBox(randomBytes(32))

  const flow = (name: string, status: string, extra: Partial<FlowManifest> = {}): FlowManifest => ({
    version: 1,
    name,
    connections: { src: 'memory', dst: 'memory' },
    source: { connection: 'src', stream: 'invoices', pageSize: 50, query: { status } },
    trigger: { webhook: true },
    map: `{ 'ref': id, 'amount': amount }`,
    target: {
      connection: 'dst',
      stream: 'documents',
      operation: 'create',
      match: { ref: 'ref' },
      then: ['post'],
    },
    order: 'group',
    ...extra,
  })
  const install = async (manifest: FlowManifest) => {
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: manifest.name,
      manifest: manifest as never,
      sourceFile: 'x',
      bindings: ids,
    })
    return saved.flow.id
  }
  const seed = (status: string, groups: string[], perGroup: number) =>
    memorySystem(srcSystem).seed(
      'invoices',
      groups.flatMap((g) =>
        Array.from({ length: perGroup }, (_, i) => ({
          id: `${status}-${g}-${i}`,
          group: g,
          amount: i,
          status,
        })),
      ),
    )
  const states = (flowId: string) =>
    t.db.selectFrom('records').select(['state', 'sourceKey', 'id']).where('flowId', '=', flowId).execute()
  const settledCount = async (flowId: string, state: string) =>
    (await states(flowId)).filter((r) => r.state === state).length
  const writtenRefs = (table: string, prefix: string) =>
    [...memorySystem(dstSystem).table(table).values()]
      .map((d) => String(d.ref))
      .filter((r) => r.startsWith(prefix))
  const expectInOrder = (refs: string[], status: string, groups: string[], perGroup: number) => {
    for (const g of groups)
      expect(refs.filter((r) => r.startsWith(`${status}-${g}-`))).toEqual(
        Array.from({ length: perGroup }, (_, i) => `${status}-${g}-${i}`),
      )
  }

  beforeAll(async () => {
    if (clock) restoreClock = shiftClock(clock)
    t = await createTestDatabase(`ordering-${_label}`)
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: true,
    })
    tenantId = (await ensureTenant(t.db, `ord-${_label}`)).id
    const schema = testRegistry.memory!.configSchema
    const save = async (name: string, systemId: string) =>
      (
        await saveConnection(t.db, box, {
          tenantId,
          name,
          connector: 'memory',
          config: { systemId, token: 'memory-secret' },
          schema,
        })
      ).id
    ids = { src: await save('src', srcSystem), dst: await save('dst', dstSystem) }
  })
  afterAll(async () => {
    await service?.stop()
    await t?.drop()
    restoreClock()
  })

  it('delivers records with an order key one after another, in source order, per key', async () => {
    const flowId = await install(flow('ordered', 'O'))
    seed('O', ['a', 'b', 'c'], 4)
    await service.flowControl.runNow(tenantId, flowId)
    await waitFor(
      '12 ordered delivered',
      async () => (await settledCount(flowId, 'delivered')) === 12,
      30_000,
    )
    expectInOrder(writtenRefs('documents', 'O-'), 'O', ['a', 'b', 'c'], 4)
  })

  it('during a target outage records wait and retry; afterwards all are delivered once, in order per key', async () => {
    const flowId = await install(flow('outage', 'X', { retry: { limit: 20, delay: '1s', maxDelay: '2s' } }))
    seed('X', ['p', 'q'], 3)
    const dst = memorySystem(dstSystem)
    const writesBefore = dst.calls['write:documents'] ?? 0
    dst.faults.push({ operation: 'write', kind: 'transient', times: 6, message: 'service unavailable' })
    await service.flowControl.runNow(tenantId, flowId)
    await waitFor(
      '6 delivered after the outage',
      async () => (await settledCount(flowId, 'delivered')) === 6,
      40_000,
    )
    const written = writtenRefs('documents', 'X-')
    expect(written).toHaveLength(6)
    expectInOrder(written, 'X', ['p', 'q'], 3)
    expect((dst.calls['write:documents'] ?? 0) - writesBefore).toBe(12)
    const retried = await t.db
      .selectFrom('recordEvents')
      .innerJoin('records', 'records.id', 'recordEvents.recordId')
      .select('recordEvents.type')
      .where('records.flowId', '=', flowId)
      .where('recordEvents.type', '=', 'retry')
      .execute()
    expect(retried).toHaveLength(6)
  })

  it('replayed records of an ordered flow are delivered in source order per key, whatever order they are named in', async () => {
    const flowId = await install(flow('replayed', 'R'))
    seed('R', ['m', 'n'], 5)
    const dst = memorySystem(dstSystem)
    dst.faults.push({ operation: 'write', kind: 'rejected', times: 10, message: 'period closed' })
    await service.flowControl.runNow(tenantId, flowId)
    await waitFor('10 failed', async () => (await settledCount(flowId, 'failed')) === 10, 30_000)
    expect(writtenRefs('documents', 'R-')).toEqual([])
    // Named newest first: the replay still hands each key's records over in the order they were read.
    const byKey = new Map((await states(flowId)).map((r) => [r.sourceKey, r.id]))
    const named = ['m', 'n'].flatMap((g) => [4, 3, 2, 1, 0].map((i) => byKey.get(`R-${g}-${i}`)!))
    expect(await service.flowControl.replay(tenantId, named, { version: 'pinned' })).toEqual({
      queued: 10,
      skipped: 0,
    })
    await waitFor(
      '10 delivered after the replay',
      async () => (await settledCount(flowId, 'delivered')) === 10,
      30_000,
    )
    expectInOrder(writtenRefs('documents', 'R-'), 'R', ['m', 'n'], 5)
  })

  it('a record waiting for an asynchronous outcome holds its key: the next is written only after it settles', async () => {
    const flowId = await install(
      flow('awaiting', 'W', {
        target: { connection: 'dst', stream: 'async', operation: 'create' },
        acknowledge: { operation: 'result', map: `{ 'ok': $result.ok, 'ref': $result.id }` },
      }),
    )
    seed('W', ['k'], 3)
    const dst = memorySystem(dstSystem)
    const proposals = () =>
      [...dst.pending.entries()].filter(([, p]) => String(p.record.ref).startsWith('W-'))
    await service.flowControl.runNow(tenantId, flowId)
    const callback = async (correlationId: string) => {
      const body = JSON.stringify({ stream: 'async', outcome: { id: correlationId, ok: true } })
      const res = await service.app.request(`/hooks/${tenantId}/${ids.dst}`, {
        method: 'POST',
        body,
        headers: { 'x-memory-signature': createHmac('sha256', 'memory-secret').update(body).digest('hex') },
      })
      expect(res.status).toBe(202)
    }
    for (let i = 0; i < 3; i++) {
      await waitFor(`W-k-${i} proposed`, async () => proposals().length === i + 1)
      // While the outcome is outstanding, nothing later of the key reaches the target.
      await new Promise((r) => setTimeout(r, 1_500))
      expect(proposals().map(([, p]) => p.record.ref)).toEqual(
        Array.from({ length: i + 1 }, (_, j) => `W-k-${j}`),
      )
      await callback(proposals()[i]![0])
      await waitFor(`W-k-${i} delivered`, async () =>
        (await states(flowId)).find((r) => r.sourceKey === `W-k-${i}` && r.state === 'delivered'),
      )
    }
    const acks = memorySystem(srcSystem).acknowledgements.filter((a) => a.recordId.startsWith('W-'))
    expect(acks.map((a) => a.recordId)).toEqual(['W-k-0', 'W-k-1', 'W-k-2'])
  })
})

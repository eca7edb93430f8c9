import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { deliverBatch } from '../../runtime/engine/deliver/deliver-batch.ts'
import { deliverRecord } from '../../runtime/engine/deliver/deliver-record.ts'
import { type DeliveryStepName, SEQUENCE } from '../../runtime/engine/deliver/run-sequence.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { takesBatches } from '../../runtime/engine/takes-batches.ts'
import { setFlowMode } from '../../runtime/store/flows-store.ts'
import { listEvents } from '../../runtime/store/ledger-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const manifest = (name: string): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 10 },
  map: `{ 'id': 'M-' & id, 'name': vendor }`,
  target: { connection: 'dst', stream: 'masters', operation: 'upsert' },
  retry: { limit: 3, delay: '1s' },
})

describe('one delivery sequence for the one-record and the batch paths', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>
  let n = 0
  let ids: { src: string; dst: string; tenantId: string; srcSystem: string; dstSystem: string }
  let trace: [DeliveryStepName, number][]

  beforeAll(async () => {
    t = await createTestDatabase('deliver-sequence')
    h = createEngineHarness(t.db)
    h.deps.traceStep = (step, records) => trace.push([step, records])
  })
  afterAll(() => t.drop())
  beforeEach(async () => {
    n++
    trace = []
    ids = await h.memoryPair(`sequence-tenant-${n}`)
  })

  /** Reads `count` records of a batching flow without delivering them; their ids in source order. */
  const readHeld = async (count: number) => {
    memorySystem(ids.srcSystem).seed(
      'invoices',
      Array.from({ length: count }, (_, i) => ({ id: `V-${i + 1}`, vendor: `Vendor ${i + 1}` })),
    )
    const p = await h.flow(ids.tenantId, manifest(`flow-${n}`), { src: ids.src, dst: ids.dst })
    expect(takesBatches(p)).toBe(true)
    const held = { ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }
    await runFlow(held, p, { trigger: 'test' })
    const rows = await t.db
      .selectFrom('records')
      .select('id')
      .where('flowId', '=', p.flowId)
      .orderBy('seq')
      .execute()
    return rows.map((r) => r.id)
  }

  it('runs every step of SEQUENCE in its order on both paths; the batch path carries a chunk per step', async () => {
    const [single, ...batch] = await readHeld(4)
    trace = []
    expect(await deliverRecord(h.deps, h.programs, single!)).toEqual({ status: 'delivered' })
    const names = SEQUENCE.map(([name]) => name)
    expect(names).toEqual(['create-missing', 'map', 'find', 'write', 'then', 'acknowledge', 'settle'])
    expect(trace).toEqual(names.map((name) => [name, 1]))

    trace = []
    const outcomes = await deliverBatch(h.deps, h.programs, batch)
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    // The memory target's maxBatch is 3: one chunk of three records through the same steps.
    expect(trace).toEqual(names.map((name) => [name, 3]))
    expect(memorySystem(ids.dstSystem).batches).toEqual([3])
    expect(memorySystem(ids.dstSystem).calls['write:masters']).toBe(1)

    // The same ledger on both paths, but for the batch size the batch path notes.
    const types = async (id: string) => (await listEvents(t.db, id)).map((e) => e.type)
    expect(await types(single!)).toEqual(['read', 'attempt', 'mapped', 'written', 'delivered'])
    expect(await types(batch[0]!)).toEqual(await types(single!))
  })

  it('a record already settled is left out; the rest of its chunk runs the sequence together', async () => {
    const recordIds = await readHeld(3)
    // A record that is already delivered is not taken (it is settled before any step).
    await deliverRecord(h.deps, h.programs, recordIds[1]!)
    trace = []
    const outcomes = await deliverBatch(h.deps, h.programs, recordIds)
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'settled', 'delivered'])
    expect(trace).toEqual(SEQUENCE.map(([name]) => [name, 2]))
  })

  it('a shadow record runs the same sequence and ends `shadowed` in its first attempt, writing nothing', async () => {
    const recordIds = await readHeld(0)
    expect(recordIds).toEqual([])
    const flowId = (await t.db
      .selectFrom('flows')
      .select('id')
      .where('name', '=', `flow-${n}`)
      .executeTakeFirst())!.id
    await setFlowMode(t.db, flowId, 'shadow')
    memorySystem(ids.srcSystem).seed('invoices', [{ id: 'S-1', vendor: 'Shadow vendor' }])
    const p = await h.programs(ids.tenantId, flowId, 1)
    await runFlow({ ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }, p, { trigger: 'test' })
    const [shadow] = await t.db.selectFrom('records').selectAll().where('flowId', '=', flowId).execute()
    expect(shadow!.shadow).toBe(true)
    trace = []
    expect(await deliverRecord(h.deps, h.programs, shadow!.id)).toEqual({ status: 'shadowed' })
    expect(trace).toEqual(SEQUENCE.map(([name]) => [name, 1]))
    const events = await listEvents(t.db, shadow!.id)
    expect(events.map((e) => e.type)).toEqual(['read', 'attempt', 'mapped', 'would_write'])
    expect(memorySystem(ids.dstSystem).table('masters').size).toBe(0)
    const row = await t.db.selectFrom('records').selectAll().where('id', '=', shadow!.id).executeTakeFirst()
    expect(row).toMatchObject({ state: 'shadowed', attempts: 1, writeAttempted: false })
  })

  it("passes the job's abort signal to the connection contexts every step uses", async () => {
    const [id] = await readHeld(1)
    const seen: (AbortSignal | undefined)[] = []
    const contexts = h.deps.contexts
    const get = contexts.get
    contexts.get = (connectionId, signal) => {
      seen.push(signal)
      return get(connectionId, signal)
    }
    try {
      const job = new AbortController()
      await deliverRecord(h.deps, h.programs, id!, job.signal)
      expect(seen.length).toBeGreaterThanOrEqual(2)
      expect(seen.every((s) => s === job.signal)).toBe(true)
    } finally {
      contexts.get = get
    }
  })
})

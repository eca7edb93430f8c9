import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { deliverBatch } from '../../runtime/engine/deliver/deliver-batch.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { takesBatches } from '../../runtime/engine/takes-batches.ts'
import { listEvents } from '../../runtime/store/ledger-store.ts'
import { persistSteps } from '../../runtime/store/persist-steps.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const manifest = (name: string, extra: Partial<FlowManifest> = {}): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 10 },
  map: `{ 'id': 'M-' & id, 'name': vendor, 'invalid': invalid }`,
  target: { connection: 'dst', stream: 'masters', operation: 'upsert' },
  retry: { limit: 3, delay: '1s' },
  ...extra,
})

describe('batch delivery: records of a writeMany target go many per call', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>
  let n = 0
  let ids: { src: string; dst: string; tenantId: string; srcSystem: string; dstSystem: string }

  beforeAll(async () => {
    t = await createTestDatabase('deliver-batch')
    h = createEngineHarness(t.db)
  })
  afterAll(() => t.drop())
  beforeEach(async () => {
    n++
    ids = await h.memoryPair(`batch-tenant-${n}`)
  })
  const seed = (count: number, invalid: number[] = []) =>
    memorySystem(ids.srcSystem).seed(
      'invoices',
      Array.from({ length: count }, (_, i) => ({
        id: `V-${i + 1}`,
        vendor: `Vendor ${i + 1}`,
        invalid: invalid.includes(i + 1) || undefined,
      })),
    )
  const program = (extra: Partial<FlowManifest> = {}) =>
    h.flow(ids.tenantId, manifest(`flow-${n}`, extra), { src: ids.src, dst: ids.dst })
  const records = async (flowId: string) =>
    t.db.selectFrom('records').selectAll().where('flowId', '=', flowId).orderBy('sourceKey').execute()

  it('writes a page of 10 in imports of maxBatch (3, 3, 3, 1), with the same ledger as one by one, and only once', async () => {
    seed(10)
    const p = await program()
    expect(takesBatches(p)).toBe(true)
    await runFlow(h.deps, p, { trigger: 'test' })
    const dst = memorySystem(ids.dstSystem)
    expect(dst.batches).toEqual([3, 3, 3, 1])
    expect(dst.calls['write:masters']).toBeUndefined()
    expect(dst.table('masters').size).toBe(10)
    const rows = await records(p.flowId)
    expect(rows.map((r) => r.state)).toEqual(Array(10).fill('delivered'))
    expect(rows.find((r) => r.sourceKey === 'V-1')).toMatchObject({ targetId: 'M-V-1', writeAttempted: true })
    const events = await listEvents(t.db, rows[0]!.id)
    expect(events.map((e) => e.type)).toEqual(['read', 'attempt', 'mapped', 'written', 'delivered'])
    expect(events[3]!.data).toMatchObject({ status: 'done', batch: 3, id: rows[0]!.targetId })
    await runFlow(h.deps, p, { trigger: 'test' })
    expect(dst.batches).toEqual([3, 3, 3, 1])
  })

  it('an item the target refuses fails alone; the others in its import are delivered', async () => {
    seed(6, [2])
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const rows = await records(p.flowId)
    const failed = rows.filter((r) => r.state === 'failed')
    expect(failed.map((r) => r.sourceKey)).toEqual(['V-2'])
    expect(failed[0]!.error).toMatchObject({ kind: 'rejected', remoteCode: 'Memory_Invalid' })
    expect(rows.filter((r) => r.state === 'delivered')).toHaveLength(5)
    // It failed from `delivering`, with what the mark before a write holds.
    expect(failed[0]).toMatchObject({
      attempts: 1,
      writeAttempted: true,
      mapped: { id: 'M-V-2', invalid: true },
    })
    const events = await listEvents(t.db, failed[0]!.id)
    expect(events.map((e) => e.type)).toEqual(['read', 'attempt', 'mapped', 'failed'])
  })

  it('an upsert import changes each record row once after its read: no `delivering` mark before the write', async () => {
    seed(7)
    const p = await program()
    await sql`create table record_row_changes (id uuid, before text, after text)`.execute(t.db)
    await sql`create function note_record_row_change() returns trigger language plpgsql as $$
      begin insert into record_row_changes values (new.id, old.state, new.state); return new; end $$`.execute(
      t.db,
    )
    await sql`create trigger note_record_row_change after update on records
      for each row execute function note_record_row_change()`.execute(t.db)
    try {
      await runFlow(h.deps, p, { trigger: 'test' })
    } finally {
      await sql`drop trigger note_record_row_change on records`.execute(t.db)
    }
    const rows = await records(p.flowId)
    const { rows: changes } = await sql<{ before: string; after: string }>`
      select before, after from record_row_changes where id = any(${rows.map((r) => r.id)}::uuid[])`.execute(
      t.db,
    )
    expect(changes.map((c) => `${c.before} → ${c.after}`)).toEqual(Array(7).fill('queued → delivered'))
    // What the mark would have written comes with the settle, and the ledger is the same.
    expect(rows[0]).toMatchObject({
      attempts: 1,
      writeAttempted: true,
      mapped: { id: 'M-V-1', name: 'Vendor 1' },
    })
    const events = await listEvents(t.db, rows[0]!.id)
    expect(events.map((e) => e.type)).toEqual(['read', 'attempt', 'mapped', 'written', 'delivered'])
  })

  it('a whole import that fails in transit is retried; each record is written exactly once in the end', async () => {
    seed(5)
    memorySystem(ids.dstSystem).faults.push({ operation: 'write', kind: 'transient', times: 1 })
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const rows = await records(p.flowId)
    expect(rows.map((r) => r.state)).toEqual(Array(5).fill('delivered'))
    const retried = rows.find((r) => r.sourceKey === 'V-1')!
    // The first import failed; the retry knows a write may have happened (write_attempted) and goes alone.
    const types = (await listEvents(t.db, retried.id)).map((e) => e.type)
    expect(types.slice(0, 5)).toEqual(['read', 'attempt', 'mapped', 'retry', 'attempt'])
    expect(types.at(-1)).toBe('delivered')
    expect(memorySystem(ids.dstSystem).table('masters').size).toBe(5)
  })

  it('a record `when` filters out is skipped; the others go in the same imports', async () => {
    seed(4)
    const p = await program({ when: `id != 'V-3'` })
    await runFlow(h.deps, p, { trigger: 'test' })
    const rows = await records(p.flowId)
    expect(rows.map((r) => [r.sourceKey, r.state])).toEqual([
      ['V-1', 'delivered'],
      ['V-2', 'delivered'],
      ['V-3', 'skipped'],
      ['V-4', 'delivered'],
    ])
    // Chunks are cut before the filter: V-1..V-3 minus the skipped one, then V-4.
    expect(memorySystem(ids.dstSystem).batches).toEqual([2, 1])
  })

  it('a record already mid-delivery goes the one-by-one path; the fresh ones are batched', async () => {
    seed(3)
    const p = await program()
    // Read without delivering: a dispatcher that holds the tickets.
    const held = { ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }
    await runFlow(held, p, { trigger: 'test' })
    const rows = await records(p.flowId)
    await t.db.updateTable('records').set({ state: 'delivering' }).where('id', '=', rows[1]!.id).execute()
    const outcomes = await deliverBatch(
      h.deps,
      h.programs,
      rows.map((r) => r.id),
    )
    // The moved record is not fresh, so it goes the single path, which finds it mid-delivery and resumes it.
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    expect(memorySystem(ids.dstSystem).batches).toEqual([2])
    expect(memorySystem(ids.dstSystem).calls['write:masters']).toBe(1)
  })

  it('persistSteps moves only records still in their `from` state, and writes ledger events only for them', async () => {
    seed(3)
    const p = await program()
    const held = { ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }
    await runFlow(held, p, { trigger: 'test' })
    const rows = await records(p.flowId)
    // Another worker took the second record meanwhile.
    await t.db.updateTable('records').set({ state: 'delivering' }).where('id', '=', rows[1]!.id).execute()
    const moved = await persistSteps(
      t.db,
      rows.map((r) => ({
        id: r.id,
        from: 'queued' as const,
        patch: {
          state: 'delivering' as const,
          attempts: 1,
          mapped: { id: r.sourceKey },
          writeAttempted: true,
        },
        events: [{ type: 'attempt', attempt: 1, data: { batch: 3 } }],
      })),
    )
    expect([...moved].sort()).toEqual([rows[0]!.id, rows[2]!.id].sort())
    const after = await records(p.flowId)
    expect(after.map((r) => [r.state, r.attempts, r.writeAttempted])).toEqual([
      ['delivering', 1, true],
      ['delivering', 0, false],
      ['delivering', 1, true],
    ])
    expect(after[0]!.mapped).toEqual({ id: 'V-1' })
    expect(after[1]!.mapped).toBeNull()
    const types = async (i: number) => (await listEvents(t.db, rows[i]!.id)).map((e) => e.type)
    expect(await types(0)).toEqual(['read', 'attempt'])
    expect(await types(1)).toEqual(['read'])
    expect(await types(2)).toEqual(['read', 'attempt'])
  })

  it('flows with per-record work after the write (then, acknowledge, order) are not batched', async () => {
    const ordered = await program({ order: 'vendor' })
    expect(takesBatches(ordered)).toBe(false)
    const plain = await program({ target: { connection: 'dst', stream: 'documents', operation: 'create' } })
    expect(takesBatches(plain)).toBe(false)
  })
})

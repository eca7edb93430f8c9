import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { dryRunFlow } from '../../runtime/engine/dry-run-flow.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { listEvents } from '../../runtime/store/ledger-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const manifest = (name: string): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 10 },
  map: `{ 'ref': id, 'vendor': $lookupTable('vendors', vendor), 'amount': $roundMoney(amount * 1.1) }`,
  lookups: { vendors: { values: { acme: 'V001', globex: 'V002' } } },
  target: {
    connection: 'dst',
    stream: 'documents',
    operation: 'create',
    match: { ref: 'ref' },
    then: ['post'],
  },
  acknowledge: {
    operation: 'result',
    map: `{ 'ok': $result.ok, 'number': $result.number, 'message': $result.message }`,
  },
  retry: { limit: 3, delay: '1s' },
})

describe('ferry run: read → map → find → write → post → acknowledge, with a ledger', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>
  let n = 0
  let ids: { src: string; dst: string; tenantId: string; srcSystem: string; dstSystem: string }

  beforeAll(async () => {
    t = await createTestDatabase('run-flow')
    h = createEngineHarness(t.db)
  })
  afterAll(() => t.drop())
  beforeEach(async () => {
    n++
    ids = await h.memoryPair(`tenant-${n}`)
    memorySystem(ids.srcSystem).seed(
      'invoices',
      Array.from({ length: 25 }, (_, i) => ({
        id: `INV-${i + 1}`,
        vendor: i % 2 ? 'acme' : 'globex',
        amount: 100.05 + i,
      })),
    )
  })

  const program = (name = `flow-${n}`) => h.flow(ids.tenantId, manifest(name), { src: ids.src, dst: ids.dst })

  it('delivers every record once, posts it, acknowledges it, and a second run writes nothing new', async () => {
    const p = await program()
    const first = await runFlow(h.deps, p, { trigger: 'test' })
    expect(first).toMatchObject({ pages: 3, read: 25, inserted: 25 })
    const dst = memorySystem(ids.dstSystem)
    const docs = [...dst.table('documents').values()]
    expect(docs).toHaveLength(25)
    expect(docs.every((d) => d.status === 'Posted')).toBe(true)
    expect(docs.find((d) => d.ref === 'INV-1')).toMatchObject({ vendor: 'V002', amount: 110.06 })
    expect(dst.calls['write:documents']).toBe(25)
    expect(dst.calls['find:documents']).toBeUndefined()
    const acks = memorySystem(ids.srcSystem).acknowledgements
    expect(acks).toHaveLength(25)
    expect(acks[0]!.payload).toMatchObject({ ok: true, number: expect.stringMatching(/^P-/) })

    const second = await runFlow(h.deps, p, { trigger: 'test' })
    expect(second.inserted).toBe(0)
    expect(dst.calls['write:documents']).toBe(25)
    expect(memorySystem(ids.srcSystem).acknowledgements).toHaveLength(25)

    const rec = await t.db
      .selectFrom('records')
      .selectAll()
      .where('flowId', '=', p.flowId)
      .where('sourceKey', '=', 'INV-3')
      .executeTakeFirstOrThrow()
    expect(rec.state).toBe('delivered')
    const events = await listEvents(t.db, rec.id)
    expect(events.map((e) => e.type)).toEqual([
      'read',
      'attempt',
      'mapped',
      'written',
      'action',
      'acknowledged',
      'delivered',
    ])
    expect(JSON.stringify(events)).not.toContain('memory-secret')
  })

  it('delivers a new version of a record, and finds the existing target record instead of creating a second', async () => {
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const src = memorySystem(ids.srcSystem)
    const inv = src.table('invoices').get('INV-4')!
    inv.amount = 500
    inv.updatedAt = src.tick()
    const again = await runFlow(h.deps, p, { trigger: 'test' })
    expect(again.inserted).toBe(1)
    expect(memorySystem(ids.dstSystem).table('documents').size).toBe(25)
  })

  it('parks a rejected record as failed with the remote message and tells the source', async () => {
    memorySystem(ids.dstSystem).faults.push({
      operation: 'write',
      kind: 'rejected',
      message: 'Posting date is not within your range of allowed posting dates.',
    })
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const failed = await t.db
      .selectFrom('records')
      .selectAll()
      .where('flowId', '=', p.flowId)
      .where('state', '=', 'failed')
      .execute()
    expect(failed).toHaveLength(1)
    expect(failed[0]!.error).toMatchObject({
      kind: 'rejected',
      remoteCode: 'Memory_Rejected',
      remoteMessage: 'Posting date is not within your range of allowed posting dates.',
    })
    const ack = memorySystem(ids.srcSystem).acknowledgements.find((a) => a.payload.ok === false)
    expect(ack?.payload.message).toBe('Posting date is not within your range of allowed posting dates.')
    expect(memorySystem(ids.dstSystem).table('documents').size).toBe(24)
  })

  it('retries a transient error and delivers exactly once', async () => {
    memorySystem(ids.dstSystem).faults.push({ operation: 'post', kind: 'transient', times: 2 })
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const states = await t.db.selectFrom('records').select('state').where('flowId', '=', p.flowId).execute()
    expect(states.every((s) => s.state === 'delivered')).toBe(true)
    const dst = memorySystem(ids.dstSystem)
    expect(dst.calls['write:documents']).toBe(25)
    expect([...dst.table('documents').values()].every((d) => d.status === 'Posted')).toBe(true)
  })

  it('claims only the records it holds past their first attempt, once each', async () => {
    memorySystem(ids.dstSystem).faults.push({ operation: 'post', kind: 'transient', times: 2 })
    const m = manifest(`flow-${n}`)
    const p = await h.flow(
      ids.tenantId,
      { ...m, source: { ...m.source, claim: true } },
      { src: ids.src, dst: ids.dst },
    )
    await runFlow(h.deps, p, { trigger: 'test' })
    const src = memorySystem(ids.srcSystem)
    const held = await t.db
      .selectFrom('records')
      .select(['id', 'progress'])
      .where('flowId', '=', p.flowId)
      .where('attempts', '>', 1)
      .execute()
    // The records delivered at once need no claim (their acknowledgement ends them); each one that
    // had to retry was claimed once, on its first retry.
    expect(held.length).toBeGreaterThan(0)
    expect(src.calls['claim:invoices']).toBe(held.length)
    expect(src.claims.size).toBe(held.length)
    expect(src.acknowledgements).toHaveLength(25)
    for (const r of held) {
      expect(r.progress).toMatchObject({ claimed: true })
      const types = (await listEvents(t.db, r.id)).map((e) => e.type)
      expect(types.filter((x) => x === 'claimed')).toHaveLength(1)
    }
  })

  it('after a write that timed out but happened, looks before writing and does not create a duplicate', async () => {
    memorySystem(ids.dstSystem).faults.push({
      operation: 'write',
      kind: 'transient',
      afterEffect: true,
      message: 'socket timeout',
    })
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const dst = memorySystem(ids.dstSystem)
    expect(dst.table('documents').size).toBe(25)
    expect(dst.calls['find:documents']).toBe(1)
    expect([...dst.table('documents').values()].every((d) => d.status === 'Posted')).toBe(true)
    expect(memorySystem(ids.srcSystem).acknowledgements.filter((a) => a.payload.ok)).toHaveLength(25)
  })

  it('fails a record whose lookup key is missing, naming the key', async () => {
    memorySystem(ids.srcSystem).seed('invoices', [{ id: 'INV-X', vendor: 'initech', amount: 1 }])
    const p = await program()
    await runFlow(h.deps, p, { trigger: 'test' })
    const rec = await t.db
      .selectFrom('records')
      .selectAll()
      .where('flowId', '=', p.flowId)
      .where('sourceKey', '=', 'INV-X')
      .executeTakeFirstOrThrow()
    expect(rec.state).toBe('failed')
    expect(String(rec.error?.message)).toContain('initech')
  })

  it('dry run maps and reports without storing or writing anything', async () => {
    const p = await program()
    const items = await dryRunFlow(h.deps, p)
    expect(items).toHaveLength(25)
    expect(items[0]).toMatchObject({ key: 'INV-1', record: { ref: 'INV-1', vendor: 'V002' } })
    expect(memorySystem(ids.dstSystem).calls['write:documents']).toBeUndefined()
    const stored = await t.db.selectFrom('records').select('id').where('flowId', '=', p.flowId).execute()
    expect(stored).toHaveLength(0)
  })
})

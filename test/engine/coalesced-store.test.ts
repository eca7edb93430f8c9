import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { coalescedStore } from '../../runtime/engine/deliver/coalesced-store.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import type { Db } from '../../runtime/store/database.ts'
import { listEvents } from '../../runtime/store/ledger-store.ts'
import type { RecordStep } from '../../runtime/store/persist-steps.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const manifest = (name: string): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 10 },
  map: `{ 'id': id }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
})

/** The same database handle, counting the statements sent through it. */
function counting(db: Db) {
  const counter = { statements: 0, db: db as Db }
  counter.db = db.withPlugin({
    transformQuery(args) {
      counter.statements++
      return args.node
    },
    transformResult: async (args) => args.result,
  })
  return counter
}

const step = (id: string, data: Record<string, unknown> = {}): RecordStep => ({
  id,
  from: 'queued',
  patch: { state: 'delivering', attempts: 1, writeAttempted: true },
  events: [{ type: 'attempt', attempt: 1, data }],
})

describe('coalesced store: concurrent deliveries share their reads and persists', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>
  let n = 0
  let ids: string[]

  beforeAll(async () => {
    t = await createTestDatabase('coalesced-store')
    h = createEngineHarness(t.db)
  })
  afterAll(() => t.drop())
  beforeEach(async () => {
    n++
    const pair = await h.memoryPair(`coalesced-tenant-${n}`)
    memorySystem(pair.srcSystem).seed(
      'invoices',
      Array.from({ length: 4 }, (_, i) => ({ id: `I-${i + 1}` })),
    )
    const p = await h.flow(pair.tenantId, manifest(`flow-${n}`), { src: pair.src, dst: pair.dst })
    // Read only: the records stay queued for the test to move.
    await runFlow({ ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }, p, { trigger: 'test' })
    const rows = await t.db
      .selectFrom('records')
      .select('id')
      .where('flowId', '=', p.flowId)
      .orderBy('sourceKey')
      .execute()
    ids = rows.map((r) => r.id)
  })
  const types = async (id: string) => (await listEvents(t.db, id)).map((e) => e.type)

  it('reads the records asked for in one tick with one statement, each caller getting its own', async () => {
    const c = counting(t.db)
    const store = coalescedStore(c.db)
    const missing = '00000000-0000-4000-8000-000000000000'
    const rows = await Promise.all([...ids, missing].map((id) => store.getRecord(id)))
    expect(rows.map((r) => r?.id)).toEqual([...ids, undefined])
    expect(c.statements).toBe(1)
  })

  it('persists the steps asked for at the same moment in one statement, each caller learning its own outcome', async () => {
    const c = counting(t.db)
    const store = coalescedStore(c.db)
    // Another worker moved the third record first: its caller alone sees it unmoved.
    await t.db.updateTable('records').set({ state: 'delivering' }).where('id', '=', ids[2]!).execute()
    const moved = await Promise.all(ids.map((id) => store.persistSteps([step(id)])))
    expect(moved.map((m, i) => m.has(ids[i]!))).toEqual([true, true, false, true])
    expect(c.statements).toBe(1)
    expect(await types(ids[0]!)).toEqual(['read', 'attempt'])
    expect(await types(ids[2]!)).toEqual(['read'])
  })

  it('never puts two steps of one record in one statement: the second is judged after the first', async () => {
    const store = coalescedStore(t.db)
    const [first, second] = await Promise.all([
      store.persistSteps([step(ids[0]!, { by: 'first' })]),
      store.persistSteps([step(ids[0]!, { by: 'second' })]),
    ])
    expect([first.has(ids[0]!), second.has(ids[0]!)]).toEqual([true, false])
    const events = await listEvents(t.db, ids[0]!)
    expect(events.map((e) => [e.type, (e.data as { by?: string }).by])).toEqual([
      ['read', undefined],
      ['attempt', 'first'],
    ])
  })

  it('fails only the caller whose step the state table forbids, or the database refuses', async () => {
    const store = coalescedStore(t.db)
    const forbidden: RecordStep = { ...step(ids[1]!), patch: { state: 'failed' }, from: 'queued' }
    // PostgreSQL's jsonb refuses \u0000: the shared statement fails, and is sent again call by call.
    const refused = step(ids[2]!, { text: 'nul \u0000 inside' })
    const outcomes = await Promise.allSettled([
      store.persistSteps([step(ids[0]!)]),
      store.persistSteps([forbidden]),
      store.persistSteps([refused]),
      store.persistSteps([step(ids[3]!)]),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    expect(await types(ids[0]!)).toEqual(['read', 'attempt'])
    expect(await types(ids[2]!)).toEqual(['read'])
    expect(await types(ids[3]!)).toEqual(['read', 'attempt'])
  })
})

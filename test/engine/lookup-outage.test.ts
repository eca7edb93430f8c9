import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

// Found by the chaos suite (npm run chaos): with PostgreSQL restarting and a CPU hog beside it, a
// recipe mapping table ($lookup of a tenant-confirmed table, read from the database) did not answer
// within the mapping's 1 s budget, and the invoice failed for good after one attempt as a "mapping"
// error — lost until someone replayed it, though nothing was wrong with it. A lookup source that
// fails or is late says nothing about the record: the attempt is retried like any transient failure.

const manifest = (name: string): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices' },
  map: `{ 'ref': id, 'department': $lookupTable('department', costCentre) }`,
  lookups: { department: { table: 'cost-centre-to-department' } },
  target: { connection: 'dst', stream: 'documents', operation: 'create', match: { ref: 'ref' } },
  retry: { limit: 3, delay: '1s' },
})

describe('a mapping table that is down or late when a record is mapped', () => {
  let t: TestDatabase
  let outage: 'fail' | 'hang' | undefined
  let calls = 0
  const departments = new Map<string, unknown>([['ADM', 'ADMIN']])

  beforeAll(async () => {
    t = await createTestDatabase('lookup-outage')
  })
  afterAll(() => t.drop())

  const harness = () =>
    createEngineHarness(t.db, {
      mappingTables: async () => {
        calls++
        const now = outage
        outage = undefined
        if (now === 'fail') throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
        // Later than the mapping's 1 s budget, as a query to a restarting database can be.
        if (now === 'hang') await new Promise((r) => setTimeout(r, 3_000))
        return departments
      },
    })

  for (const kind of ['fail', 'hang'] as const) {
    it(`${kind === 'fail' ? 'fails' : 'answers too late'} once: the record is retried and delivered`, async () => {
      const h = harness()
      const ids = await h.memoryPair(`lookup-${kind}`)
      memorySystem(ids.srcSystem).seed('invoices', [{ id: `INV-${kind}`, costCentre: 'ADM' }])
      const program = await h.flow(ids.tenantId, manifest(`lookup-${kind}`), { src: ids.src, dst: ids.dst })
      outage = kind
      calls = 0
      await runFlow(h.deps, program, { trigger: 'test' })

      expect(calls).toBeGreaterThanOrEqual(2)
      const records = await t.db
        .selectFrom('records')
        .select(['state', 'attempts', 'error'])
        .where('flowId', '=', program.flowId)
        .execute()
      expect(records).toHaveLength(1)
      expect(records[0]).toMatchObject({ state: 'delivered' })
      expect([...memorySystem(ids.dstSystem).table('documents').values()]).toEqual([
        expect.objectContaining({ ref: `INV-${kind}`, department: 'ADMIN' }),
      ])
    })
  }

  it('a key missing from the table still fails at once, naming the key: that is the data, not an outage', async () => {
    const h = harness()
    const ids = await h.memoryPair('lookup-missing')
    memorySystem(ids.srcSystem).seed('invoices', [{ id: 'INV-x', costCentre: 'NOPE' }])
    const program = await h.flow(ids.tenantId, manifest('lookup-missing'), { src: ids.src, dst: ids.dst })
    calls = 0
    await runFlow(h.deps, program, { trigger: 'test' })
    const [record] = await t.db
      .selectFrom('records')
      .select(['state', 'attempts', 'error'])
      .where('flowId', '=', program.flowId)
      .execute()
    expect(record).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'lookup_missing' } })
  })
})

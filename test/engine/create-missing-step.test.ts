import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { deliverRecord } from '../../runtime/engine/deliver/deliver-record.ts'
import type { DeliveryOutcome } from '../../runtime/engine/deliver/delivery.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import {
  listMappingRowViews,
  mappingTableSource,
  saveProposedRows,
} from '../../runtime/store/mapping-rows-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const TABLE = 'vendor-map'

// A recipe "r" of two flows: `masters` copies a vendor to the target, `docs` needs the vendor's row.
const masters: FlowManifest = {
  version: 1,
  name: 'masters',
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'masters' },
  map: `{ 'id': 'M-' & number, 'code': 'M-' & number, 'name': name }`,
  target: { connection: 'dst', stream: 'masters', operation: 'upsert' },
}
const docs: FlowManifest = {
  version: 1,
  name: 'docs',
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices' },
  lookups: {
    vendor: {
      table: TABLE,
      createMissing: { key: 'vendor', through: 'masters', findBy: 'number', value: 'code' },
    },
  },
  map: `{ 'id': 'D-' & id, 'vendorCode': $lookupTable('vendor', vendor) }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
  retry: { limit: 3, delay: '1s' },
}

describe('the create-missing step', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>
  let ids: Awaited<ReturnType<typeof h.memoryPair>>
  let docsFlow: string

  beforeAll(async () => {
    t = await createTestDatabase('create-missing-step')
    h = createEngineHarness(t.db, { mappingTables: mappingTableSource(t.db) })
    ids = await h.memoryPair('create-missing')
    const bindings = { src: ids.src, dst: ids.dst }
    for (const m of [masters, docs]) {
      const saved = await saveFlowVersion(t.db, {
        tenantId: ids.tenantId,
        name: `r-${m.name}`,
        manifest: m as never,
        sourceFile: `${m.name}.flow.yaml`,
        bindings,
        recipe: 'r',
      })
      if (m === docs) docsFlow = saved.flow.id
    }
  })
  afterAll(() => t.drop())

  /** Reads the seeded invoices into records without delivering them; their ids. */
  async function readInvoices(invoices: { id: string; vendor: string }[]) {
    memorySystem(ids.srcSystem).seed('invoices', invoices)
    const program = await h.programs(ids.tenantId, docsFlow, 1)
    await runFlow({ ...h.deps, dispatcher: { async enqueue() {}, async retry() {} } }, program, {
      trigger: 'test',
    })
    const rows = await t.db
      .selectFrom('records')
      .select(['id', 'sourceKey'])
      .where('flowId', '=', docsFlow)
      .execute()
    return rows.filter((r) => invoices.some((i) => i.id === r.sourceKey)).map((r) => r.id)
  }

  /** Delivers a record again while it asks for a retry (at most `limit` attempts). */
  async function deliverUntilSettled(id: string, first: DeliveryOutcome, limit = 5) {
    let outcome = first
    for (let i = 0; outcome.status === 'retry' && i < limit; i++)
      outcome = await deliverRecord(h.deps, h.programs, id)
    return outcome
  }

  it('three records of one new vendor delivered at once create it once, confirm its row, and are all delivered', async () => {
    memorySystem(ids.srcSystem).seed('masters', [{ id: 'src-n1', number: 'N1', name: 'New vendor' }])
    const recordIds = await readInvoices([
      { id: 'I-1', vendor: 'N1' },
      { id: 'I-2', vendor: 'N1' },
      { id: 'I-3', vendor: 'N1' },
    ])
    expect(recordIds).toHaveLength(3)
    const first = await Promise.all(recordIds.map((id) => deliverRecord(h.deps, h.programs, id)))
    const outcomes = await Promise.all(recordIds.map((id, i) => deliverUntilSettled(id, first[i]!)))
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])

    const dst = memorySystem(ids.dstSystem)
    expect(dst.calls['write:masters']).toBe(1)
    expect([...dst.table('masters').values()].map((r) => r.code)).toEqual(['M-N1'])
    expect([...dst.table('documents').values()].map((r) => r.vendorCode)).toEqual(['M-N1', 'M-N1', 'M-N1'])
    const [row] = await listMappingRowViews(t.db, ids.tenantId, TABLE)
    expect(row).toMatchObject({
      key: 'N1',
      state: 'confirmed',
      confirmedValue: 'M-N1',
      reason: 'created by Ferry (masters)',
    })
  })

  it('a vendor with a proposed row is not created over: the record fails with lookup_missing, nothing is written', async () => {
    memorySystem(ids.srcSystem).seed('masters', [{ id: 'src-n2', number: 'N2', name: 'Known vendor' }])
    await saveProposedRows(t.db, ids.tenantId, TABLE, [
      { key: 'N2', label: 'Known vendor', value: 'M-OLD-N2', match: 'mst', detail: 'same MST' },
    ])
    const [id] = await readInvoices([{ id: 'I-4', vendor: 'N2' }])
    const outcome = await deliverUntilSettled(id!, await deliverRecord(h.deps, h.programs, id!))
    expect(outcome.status).toBe('failed')
    const record = await t.db.selectFrom('records').select('error').where('id', '=', id!).executeTakeFirst()
    expect(record?.error).toMatchObject({ code: 'lookup_missing' })
    expect(memorySystem(ids.dstSystem).calls['write:masters']).toBe(1)
  })
})

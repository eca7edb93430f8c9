/**
 * Issue 17, target 4 (many idle tenants): a scheduled poll that finds nothing new writes nothing but
 * the flow's last poll time — no run row inserted and deleted again, no page transaction for an empty
 * page whose checkpoint is unchanged — while what users see stays as it was: a poll that stores
 * records keeps one run row with every page counted, and one that fails keeps its failed run.
 */
import { type KyselyPlugin, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stream } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { FlowProgram } from '../../runtime/engine/flow-program.ts'
import { runFlow } from '../../runtime/engine/run-flow.ts'
import { flowLastPolledAt } from '../../runtime/store/flows-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { createEngineHarness } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const manifest = (name: string): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 10 },
  map: `{ 'ref': id, 'amount': amount }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
})

/**
 * The source as most remote APIs answer an idle poll: after the records (if any), one empty page that
 * hands back the checkpoint it was given (the in-memory connector itself yields no page when empty).
 */
function withEmptyLastPage(program: FlowProgram): void {
  const inner = program.source.stream.read!
  const read: Stream['read'] = async function* (ctx, request) {
    let cursor = request.cursor
    for await (const page of inner(ctx, request)) {
      cursor = page.cursor
      yield page
    }
    yield { records: [], cursor }
  }
  program.source.stream = { ...program.source.stream, read }
}

describe('scheduled polls: run bookkeeping only when a poll stores something', () => {
  let t: TestDatabase
  let h: ReturnType<typeof createEngineHarness>

  beforeAll(async () => {
    t = await createTestDatabase('scheduled-poll-runs')
    h = createEngineHarness(t.db)
    // Every write to runs and cursors, by statement, as evidence of what a poll wrote.
    await sql`create table write_log (tbl text, op text)`.execute(t.db)
    await sql`create function log_write() returns trigger language plpgsql as $$
      begin insert into write_log values (tg_table_name, tg_op); return null; end $$`.execute(t.db)
    for (const table of ['runs', 'cursors'])
      await sql`create trigger ${sql.raw(`${table}_logged`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function log_write()`.execute(t.db)
  })
  afterAll(() => t.drop())

  const writes = async () =>
    (await sql<{ tbl: string; op: string }>`select tbl, op from write_log`.execute(t.db)).rows.map(
      (r) => `${r.op} ${r.tbl}`,
    )

  it('a poll that finds nothing new writes no run row and no checkpoint; one that stores records keeps its run with every page', async () => {
    const ids = await h.memoryPair('idle-poller')
    memorySystem(ids.srcSystem).seed(
      'invoices',
      Array.from({ length: 25 }, (_, i) => ({ id: `INV-${i + 1}`, amount: i })),
    )
    const program = await h.flow(ids.tenantId, manifest('idle-poller'), { src: ids.src, dst: ids.dst })
    withEmptyLastPage(program)

    const first = await runFlow(h.deps, program, { trigger: 'schedule' })
    expect(first).toMatchObject({ pages: 4, read: 25, inserted: 25 })
    const runs = await t.db.selectFrom('runs').selectAll().where('flowId', '=', program.flowId).execute()
    expect(runs.map((r) => [r.id, r.trigger, r.state, r.pages, r.recordsRead, r.recordsNew])).toEqual([
      [first.runId, 'schedule', 'succeeded', 4, 25, 25],
    ])
    const polled = await flowLastPolledAt(t.db, program.flowId)

    await sql`delete from write_log`.execute(t.db)
    const idle = await runFlow(h.deps, program, { trigger: 'schedule' })
    expect(idle).toMatchObject({ pages: 1, read: 0, inserted: 0 })
    expect(await writes()).toEqual([])
    expect(await t.db.selectFrom('runs').select('id').where('flowId', '=', program.flowId).execute()).toEqual(
      [{ id: first.runId }],
    )
    expect((await flowLastPolledAt(t.db, program.flowId))!.getTime()).toBeGreaterThan(polled!.getTime())

    // A later poll that finds one new record keeps a run row again, its empty last page counted too.
    memorySystem(ids.srcSystem).seed('invoices', [{ id: 'INV-26', amount: 26 }])
    const one = await runFlow(h.deps, program, { trigger: 'schedule' })
    expect(one).toMatchObject({ read: 1, inserted: 1 })
    const runsAfter = await t.db
      .selectFrom('runs')
      .select(['id', 'pages', 'recordsRead', 'recordsNew', 'startedAt', 'finishedAt'])
      .where('flowId', '=', program.flowId)
      .orderBy('startedAt')
      .execute()
    expect(runsAfter.map((r) => [r.id, r.pages, r.recordsRead, r.recordsNew])).toEqual([
      [first.runId, 4, 25, 25],
      [one.runId, 2, 1, 1],
    ])
    expect(runsAfter[1]!.startedAt.getTime()).toBeLessThanOrEqual(runsAfter[1]!.finishedAt!.getTime())
  })

  it('a poll that fails before storing anything keeps its failed run with the error, and an API run keeps its row as before', async () => {
    const ids = await h.memoryPair('failing-poller')
    const program = await h.flow(ids.tenantId, manifest('failing-poller'), { src: ids.src, dst: ids.dst })
    memorySystem(ids.srcSystem).faults.push({ operation: 'read', kind: 'transient', message: 'source down' })
    await expect(runFlow(h.deps, program, { trigger: 'schedule' })).rejects.toThrow(/source down/)
    const failed = await t.db.selectFrom('runs').selectAll().where('flowId', '=', program.flowId).execute()
    expect(failed.map((r) => [r.trigger, r.state])).toEqual([['schedule', 'failed']])
    expect(JSON.stringify(failed[0]!.error)).toContain('source down')

    const api = await runFlow(h.deps, program, { trigger: 'api' })
    expect(api.inserted).toBe(0)
    const all = await t.db
      .selectFrom('runs')
      .select(['id', 'trigger', 'state'])
      .where('flowId', '=', program.flowId)
      .execute()
    expect(all).toContainEqual({ id: api.runId, trigger: 'api', state: 'succeeded' })
  })

  it('a poll whose page only re-reads records it stored before (an incremental read’s newest record) runs no insert and keeps no run', async () => {
    const ids = await h.memoryPair('rereading-poller')
    memorySystem(ids.srcSystem).seed('invoices', [{ id: 'R-1', amount: 1 }])
    const program = await h.flow(ids.tenantId, manifest('rereading-poller'), { src: ids.src, dst: ids.dst })
    // As BC's `lastModifiedDateTime ge` reads do: every poll hands back the newest record again.
    const inner = program.source.stream.read!
    program.source.stream = {
      ...program.source.stream,
      read: async function* (ctx, request) {
        const pages = []
        for await (const page of inner(ctx, { ...request, cursor: null })) pages.push(page)
        yield { records: pages.flatMap((p) => p.records), cursor: 'newest' }
      },
    }
    await runFlow(h.deps, program, { trigger: 'schedule' })
    const statements: string[] = []
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements.push(args.node.kind)
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const idle = await runFlow({ ...h.deps, db: t.db.withPlugin(counting) }, program, { trigger: 'schedule' })
    expect(idle).toMatchObject({ pages: 1, read: 1, inserted: 0 })
    expect(statements.filter((k) => k === 'InsertQueryNode')).toEqual([])
    expect(statements.length).toBeLessThanOrEqual(3)
    const runs = await t.db
      .selectFrom('runs')
      .select('recordsNew')
      .where('flowId', '=', program.flowId)
      .execute()
    expect(runs).toEqual([{ recordsNew: 1 }])
  })
})

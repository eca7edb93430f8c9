import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { memorySystem } from '../../test/in-memory-connector/memory-system.ts'
import { testRegistry } from '../../test/support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { waitFor } from '../../test/support/wait-for.ts'
import { silentLogger } from '../log/create-logger.ts'
import { type Service, startService } from '../main/start-service.ts'
import { createSecretBox } from '../secrets/secret-box.ts'
import { saveConnection } from '../store/connections-store.ts'
import { getFlowSchedule } from '../store/flow-schedules-store.ts'
import { flowLastPolledAt, saveFlowVersion, setFlowEnabled } from '../store/flows-store.ts'
import { ensureTenant } from '../store/tenants-store.ts'
import { createBoss } from './create-boss.ts'
import { intervalPhaseMs } from './flow-schedule.ts'
import { startFlowScheduler, tickDueFlows } from './flow-scheduler.ts'
import { QUEUES } from './queues.ts'

const manifest = (name: string, trigger: FlowManifest['trigger']): FlowManifest => ({
  version: 1,
  name,
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices', pageSize: 20 },
  trigger,
  map: `{ 'ref': id, 'amount': amount }`,
  target: { connection: 'dst', stream: 'documents', operation: 'create' },
})

const flowRunJobs = async (t: TestDatabase, flowId?: string) => {
  const { rows } = await sql<{ flowId: string }>`
    select data->>'flowId' as flow_id from pgboss.job where name = ${QUEUES.flowRun}
    and (${flowId ?? null}::text is null or data->>'flowId' = ${flowId ?? null})`.execute(t.db)
  return rows.map((r) => r.flowId)
}

describe('the flow scheduler: one schedule row per enabled flow, ticked with SKIP LOCKED', () => {
  let t: TestDatabase
  let service: Service
  let tenantId: string
  let bindings: { src: string; dst: string }
  const srcSystem = `sched-src-${Date.now()}`
  const box = createSecretBox(randomBytes(32))

  const save = async (name: string, trigger: FlowManifest['trigger']) =>
    (
      await saveFlowVersion(t.db, {
        tenantId,
        name,
        manifest: manifest(name, trigger) as never,
        sourceFile: 'x',
        bindings,
      })
    ).flow.id

  beforeAll(async () => {
    t = await createTestDatabase('flow-scheduler')
    // No workers: the test drives the ticker itself.
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: false,
    })
    tenantId = (await ensureTenant(t.db, 'sched')).id
    const connection = async (name: string) =>
      (
        await saveConnection(t.db, box, {
          tenantId,
          name,
          connector: 'memory',
          config: { systemId: `${srcSystem}-${name}`, token: 'memory-secret' },
          schema: testRegistry.memory!.configSchema,
        })
      ).id
    bindings = { src: await connection('src'), dst: await connection('dst') }
  })
  afterAll(async () => {
    await service.stop()
    await t.drop()
  })

  it('enable computes next_at: a cron in its time zone, an interval at the flow’s phase within one interval', async () => {
    const cronFlow = await save('cron-flow', {
      schedule: { cron: '0 9 * * *', timezone: 'Asia/Ho_Chi_Minh' },
    })
    const everyFlow = await save('every-flow', { every: '15m' })
    const before = Date.now()
    await service.flowControl.enable(tenantId, cronFlow)
    await service.flowControl.enable(tenantId, everyFlow)
    const cron = await getFlowSchedule(t.db, cronFlow)
    expect(cron?.spec).toEqual({ cron: '0 9 * * *', tz: 'Asia/Ho_Chi_Minh' })
    // 09:00 at UTC+7, within the next day.
    expect(cron!.nextAt.getUTCHours()).toBe(2)
    expect(cron!.nextAt.getUTCMinutes()).toBe(0)
    expect(cron!.nextAt.getTime() - before).toBeLessThanOrEqual(86_400_000)
    const every = await getFlowSchedule(t.db, everyFlow)
    expect(every?.spec).toEqual({ everyMs: 900_000 })
    expect(every!.nextAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(every!.nextAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000)
    expect(every!.nextAt.getTime() % 900_000).toBe(intervalPhaseMs(everyFlow, 900_000))
  })

  it('disable removes the schedule, so no tick enqueues the flow again', async () => {
    const flowId = await save('disabled-flow', { every: '1s' })
    await service.flowControl.enable(tenantId, flowId)
    expect(await getFlowSchedule(t.db, flowId)).toBeDefined()
    await service.flowControl.disable(tenantId, flowId)
    expect(await getFlowSchedule(t.db, flowId)).toBeUndefined()
    await sql`select pg_sleep(1.1)`.execute(t.db)
    await tickDueFlows(t.db, service.boss)
    expect(await flowRunJobs(t, flowId)).toEqual([])
  })

  it('two tickers racing over many due rows enqueue each flow exactly once per occurrence', async () => {
    const ids: string[] = []
    for (let i = 0; i < 120; i++) {
      const flowId = await save(`race-${i}`, { every: '1h' })
      await service.flowControl.enable(tenantId, flowId)
      ids.push(flowId)
    }
    await sql`update flow_schedules set next_at = now() - interval '1 minute' where flow_id = any(${ids}::uuid[])`.execute(
      t.db,
    )
    const other = await createBoss({
      connectionString: t.connectionString,
      role: 'ticker-2',
      supervise: false,
    })
    try {
      let claimed = 0
      // Small batches so the two tickers interleave over the same rows many times.
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([tickDueFlows(t.db, service.boss, 7), tickDueFlows(t.db, other, 7)])
        claimed += a + b
      }
      expect(claimed).toBe(120)
      const jobs = (await flowRunJobs(t)).filter((id) => ids.includes(id))
      expect(jobs.sort()).toEqual([...ids].sort())
      const { rows } = await sql<{ late: string }>`
        select count(*)::text as late from flow_schedules where flow_id = any(${ids}::uuid[]) and next_at <= now()`.execute(
        t.db,
      )
      expect(rows[0]!.late).toBe('0')
    } finally {
      await other.stop({ graceful: false, close: true })
    }
  })

  it('flows enabled before the table existed (pg-boss schedules) move to it when a scheduler starts', async () => {
    const flowId = await save('legacy-flow', { every: '5m' })
    await setFlowEnabled(t.db, flowId, true)
    const data = { tenantId, flowId, trigger: 'schedule', scope: 'live' }
    await service.boss.schedule(QUEUES.flowRun, '*/5 * * * *', data, { key: flowId })
    const scheduler = await startFlowScheduler({ db: t.db, boss: service.boss, log: silentLogger })
    await scheduler.stop()
    expect(await service.boss.getSchedules(QUEUES.flowRun)).toEqual([])
    expect((await getFlowSchedule(t.db, flowId))?.spec).toEqual({ everyMs: 300_000 })
  })

  it('a new version of an enabled flow is rescheduled from its new trigger', async () => {
    const flowId = await save('versioned-flow', { every: '1h' })
    await service.flowControl.enable(tenantId, flowId)
    await save('versioned-flow', { schedule: '30 6 * * *' })
    const scheduler = await startFlowScheduler({ db: t.db, boss: service.boss, log: silentLogger })
    await scheduler.stop()
    const row = await getFlowSchedule(t.db, flowId)
    expect(row?.spec).toEqual({ cron: '30 6 * * *', tz: 'UTC' })
    expect(row?.version).toBe(2)
    expect(row!.nextAt.getUTCHours() * 60 + row!.nextAt.getUTCMinutes()).toBe(6 * 60 + 30)
  })
})

describe('scheduled runs through the service', () => {
  let t: TestDatabase
  let service: Service
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('flow-scheduler-service')
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: true,
    })
  })
  afterAll(async () => {
    await service.stop()
    await t.drop()
  })

  it('a flow enabled with `every: 1s` runs on its own; polls that find nothing keep no run row but stamp the flow', async () => {
    const tenantId = (await ensureTenant(t.db, 'sched-svc')).id
    const system = `sched-svc-${Date.now()}`
    const ids: Record<string, string> = {}
    for (const name of ['src', 'dst'])
      ids[name] = (
        await saveConnection(t.db, box, {
          tenantId,
          name,
          connector: 'memory',
          config: { systemId: `${system}-${name}`, token: 'memory-secret' },
          schema: testRegistry.memory!.configSchema,
        })
      ).id
    memorySystem(`${system}-src`).seed(
      'invoices',
      Array.from({ length: 5 }, (_, i) => ({ id: `S-${i}`, amount: i })),
    )
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'polled',
      manifest: manifest('polled', { every: '1s' }) as never,
      sourceFile: 'x',
      bindings: ids,
    })
    const flowId = saved.flow.id
    await service.flowControl.enable(tenantId, flowId)
    await waitFor('5 delivered', async () => {
      const rows = await t.db.selectFrom('records').select('state').where('flowId', '=', flowId).execute()
      return rows.length === 5 && rows.every((r) => r.state === 'delivered')
    })
    const firstPoll = await waitFor('a first poll', () => flowLastPolledAt(t.db, flowId))
    // Later polls find nothing new: the flow's last poll moves on, the run list keeps only the real run.
    await waitFor('two more polls', async () => {
      const at = await flowLastPolledAt(t.db, flowId)
      return at && at.getTime() > firstPoll.getTime() + 1500
    })
    const runs = await t.db.selectFrom('runs').selectAll().where('flowId', '=', flowId).execute()
    expect(runs.map((r) => [r.trigger, r.recordsNew, r.state])).toEqual([['schedule', 5, 'succeeded']])
  })
})

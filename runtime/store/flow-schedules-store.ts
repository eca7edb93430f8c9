import { type ColumnType, sql, type Transaction } from 'kysely'
import type { Database, Db } from './database.ts'

/** A flow's row in the schedule table: when it is next due, and the spec that computes the next time. */
export interface FlowScheduleRow {
  flowId: string
  tenantId: string
  /** The flow version the spec was taken from; a newer current version means the spec may be stale. */
  version: number
  spec: Record<string, unknown>
  nextAt: Date
}

interface FlowSchedulesTable {
  flowId: string
  tenantId: string
  version: number
  spec: ColumnType<Record<string, unknown>, string, string>
  nextAt: ColumnType<Date, Date, Date>
}

type ScheduleDb = Db | Transaction<Database>

/** The schedule table's typed view (it lives beside the shared {@link Database} type, owned here). */
const schedules = (db: ScheduleDb) => db.withTables<{ flowSchedules: FlowSchedulesTable }>()

/** Creates or replaces a flow's schedule row. */
export async function putFlowSchedule(db: ScheduleDb, row: FlowScheduleRow): Promise<void> {
  const values = { ...row, spec: JSON.stringify(row.spec) }
  await schedules(db)
    .insertInto('flowSchedules')
    .values(values)
    .onConflict((oc) =>
      oc.column('flowId').doUpdateSet({
        tenantId: row.tenantId,
        version: row.version,
        spec: values.spec,
        nextAt: row.nextAt,
      }),
    )
    .execute()
}

/** Notes that a flow's current version was checked and schedules the same as the row says. */
export async function touchFlowScheduleVersion(
  db: ScheduleDb,
  flowId: string,
  version: number,
): Promise<void> {
  await schedules(db).updateTable('flowSchedules').set({ version }).where('flowId', '=', flowId).execute()
}

/** Removes a flow's schedule row (the flow no longer runs on its own). */
export async function deleteFlowSchedule(db: ScheduleDb, flowId: string): Promise<void> {
  await schedules(db).deleteFrom('flowSchedules').where('flowId', '=', flowId).execute()
}

/** A flow's schedule row, if it has one. */
export async function getFlowSchedule(db: ScheduleDb, flowId: string): Promise<FlowScheduleRow | undefined> {
  return schedules(db).selectFrom('flowSchedules').selectAll().where('flowId', '=', flowId).executeTakeFirst()
}

/** The earliest due time and the database's clock, in one indexed read (the idle tick's only query). */
export async function earliestDue(db: ScheduleDb): Promise<{ nextAt: Date | null; now: Date }> {
  const { rows } = await sql<{ nextAt: Date | null; now: Date }>`
    select (select min(next_at) from flow_schedules) as next_at, clock_timestamp() as now`.execute(db)
  return rows[0]!
}

/**
 * Locks up to `limit` due rows, earliest first, skipping rows another ticker holds: each due row is
 * claimed by one transaction only, and a committed claim has moved `next_at` past the due time.
 */
export async function claimDueSchedules(
  trx: Transaction<Database>,
  limit: number,
): Promise<{ rows: FlowScheduleRow[]; now: Date }> {
  const { rows } = await sql<FlowScheduleRow & { now: Date }>`
    select flow_id, tenant_id, version, spec, next_at, now() as now from flow_schedules
    where next_at <= now() order by next_at limit ${limit} for update skip locked`.execute(trx)
  return { rows, now: rows[0]?.now ?? new Date() }
}

/** Moves claimed rows to their next due times in one statement. */
export async function setNextDue(
  trx: Transaction<Database>,
  next: { flowId: string; nextAt: Date }[],
): Promise<void> {
  if (next.length === 0) return
  await sql`
    update flow_schedules s set next_at = n.next_at
    from unnest(${next.map((n) => n.flowId)}::uuid[], ${next.map((n) => n.nextAt.toISOString())}::timestamptz[])
      as n(flow_id, next_at)
    where s.flow_id = n.flow_id`.execute(trx)
}

/**
 * Flows whose schedule row disagrees with the flow: enabled with a scheduled trigger but no row
 * (enabled before this table existed), a row older than the current version, or a row of a flow that
 * is disabled. `trigger` is the current version's manifest trigger.
 */
export async function schedulesToReconcile(db: ScheduleDb, limit = 1000) {
  const { rows } = await sql<{
    flowId: string
    tenantId: string
    enabled: boolean
    currentVersion: number
    trigger: Record<string, unknown> | null
    scheduledVersion: number | null
  }>`
    select f.id as flow_id, f.tenant_id, f.enabled, f.current_version, v.manifest -> 'trigger' as trigger,
           s.version as scheduled_version
    from flows f
    join flow_versions v on v.flow_id = f.id and v.version = f.current_version
    left join flow_schedules s on s.flow_id = f.id
    where (s.flow_id is null and f.enabled
           and (v.manifest -> 'trigger' ? 'schedule' or v.manifest -> 'trigger' ? 'every'))
       or (s.flow_id is not null and (s.version <> f.current_version or not f.enabled))
    limit ${limit}`.execute(db)
  return rows
}

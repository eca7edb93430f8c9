/** Daily reconciliation schedules (the `reconcile_schedules` table, owned here). */
import { type ColumnType, type Generated, sql, type Transaction } from 'kysely'
import type { Database, Db } from './database.ts'

/** Which period a scheduled reconciliation covers: from a fixed day (the sample period), or the last days. */
export type SchedulePeriod = { since: string } | { days: number }

interface ReconcileSchedulesTable {
  id: Generated<string>
  tenantId: string
  flowId: string | null
  recipe: string | null
  period: ColumnType<SchedulePeriod, string, string>
  at: string
  timezone: string
  nextAt: Date
  createdAt: ColumnType<Date, undefined, never>
}

type StoreDb = Db | Transaction<Database>

const tables = (db: StoreDb) => db.withTables<{ reconcileSchedules: ReconcileSchedulesTable }>()

/** A schedule: a flow or a recipe reconciled every day at `at` (HH:MM) in `timezone`. */
export interface ReconcileScheduleRow {
  id: string
  tenantId: string
  flowId: string | null
  recipe: string | null
  period: SchedulePeriod
  at: string
  timezone: string
  nextAt: Date
}

const columns = ['id', 'tenantId', 'flowId', 'recipe', 'period', 'at', 'timezone', 'nextAt'] as const

/**
 * Creates or replaces the schedule of a flow or recipe (one per scope and tenant); `nextAt` gets the
 * database's clock, the one due schedules are claimed by.
 */
export async function putReconcileSchedule(
  db: StoreDb,
  schedule: Omit<ReconcileScheduleRow, 'id' | 'nextAt'>,
  nextAt: (now: Date) => Date,
): Promise<ReconcileScheduleRow> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db)
  const input = { ...schedule, nextAt: nextAt(rows[0]!.now) }
  const existing = await tables(db)
    .selectFrom('reconcileSchedules')
    .select('id')
    .where('tenantId', '=', input.tenantId)
    .where((eb) => (input.flowId ? eb('flowId', '=', input.flowId) : eb('flowId', 'is', null)))
    .where((eb) => (input.recipe ? eb('recipe', '=', input.recipe) : eb('recipe', 'is', null)))
    .executeTakeFirst()
  const values = { ...input, period: JSON.stringify(input.period) }
  if (existing) {
    await tables(db).updateTable('reconcileSchedules').set(values).where('id', '=', existing.id).execute()
    return { ...input, id: existing.id }
  }
  const { id } = await tables(db)
    .insertInto('reconcileSchedules')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow()
  return { ...input, id }
}

/** A tenant's schedules. */
export async function listReconcileSchedules(db: StoreDb, tenantId: string): Promise<ReconcileScheduleRow[]> {
  return tables(db)
    .selectFrom('reconcileSchedules')
    .select(columns)
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt')
    .execute()
}

/** Deletes a tenant's schedule; false when it has no such schedule. */
export async function deleteReconcileSchedule(db: StoreDb, tenantId: string, id: string): Promise<boolean> {
  const deleted = await tables(db)
    .deleteFrom('reconcileSchedules')
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .returning('id')
    .execute()
  return deleted.length > 0
}

/**
 * Locks up to `limit` due schedules, skipping rows another process holds, with the database's clock;
 * call {@link setReconcileScheduleNext} in the same transaction.
 */
export async function claimDueReconcileSchedules(
  trx: Transaction<Database>,
  limit: number,
): Promise<{ rows: ReconcileScheduleRow[]; now: Date }> {
  const { rows } = await sql<ReconcileScheduleRow & { now: Date }>`
    select id, tenant_id, flow_id, recipe, period, at, timezone, next_at, now() as now
      from reconcile_schedules where next_at <= now()
     order by next_at limit ${limit} for update skip locked`.execute(trx)
  return { rows, now: rows[0]?.now ?? new Date() }
}

/** Moves a schedule to its next due time. */
export async function setReconcileScheduleNext(db: StoreDb, id: string, nextAt: Date): Promise<void> {
  await tables(db).updateTable('reconcileSchedules').set({ nextAt }).where('id', '=', id).execute()
}

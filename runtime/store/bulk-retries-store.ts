import { sql } from 'kysely'
import type { Db } from './database.ts'

/** How long a bulk retry stays followable. */
export const BULK_RETRY_RETENTION_DAYS = 7

/** A retry of many records at once. */
export interface BulkRetryRow {
  id: string
  tenantId: string
  label: string
  createdAt: Date
  total: number
}

/** Notes a bulk retry of `recordIds` (and forgets those past retention). */
export async function createBulkRetry(
  db: Db,
  tenantId: string,
  label: string,
  recordIds: readonly string[],
): Promise<BulkRetryRow> {
  await db
    .deleteFrom('bulkRetries')
    .where('createdAt', '<', sql<Date>`now() - ${`${BULK_RETRY_RETENTION_DAYS} days`}::interval`)
    .execute()
  const row = await db
    .insertInto('bulkRetries')
    .values({ tenantId, label, recordIds: [...recordIds] })
    .returning(['id', 'tenantId', 'label', 'createdAt'])
    .executeTakeFirstOrThrow()
  return { ...row, total: recordIds.length }
}

/** One bulk retry of a tenant. */
export async function getBulkRetry(db: Db, tenantId: string, id: string): Promise<BulkRetryRow | undefined> {
  const row = await db
    .selectFrom('bulkRetries')
    .select(['id', 'tenantId', 'label', 'createdAt', sql<number>`cardinality(record_ids)`.as('total')])
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && { ...row, total: Number(row.total) }
}

/** The retried records per state now, and when the last of them changed. */
export async function countBulkRetryRecords(
  db: Db,
  id: string,
): Promise<{ counts: Record<string, number>; lastChangeAt: Date | null }> {
  const { rows } = await sql<{ state: string; n: string; last: Date }>`
    select r.state, count(*) as n, max(r.updated_at) as last
      from bulk_retries b join records r on r.id = any(b.record_ids) and r.tenant_id = b.tenant_id
     where b.id = ${id}
     group by r.state`.execute(db)
  const last = rows.reduce<Date | null>((m, r) => (m === null || r.last > m ? r.last : m), null)
  return { counts: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])), lastChangeAt: last }
}

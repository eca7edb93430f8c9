import { sql } from 'kysely'
import type { Db } from './database.ts'

/**
 * Makes due now the jobs of `queue` waiting in pg-boss's retry state for these records under these
 * singleton keys (an ordered record's job holding its key). Returns the records so woken.
 */
export async function wakeRetryingJobs(
  db: Db,
  queue: string,
  held: { singletonKeys: readonly string[]; recordIds: readonly string[] },
): Promise<Set<string>> {
  const { rows } = await sql<{ recordId: string }>`
    update pgboss.job set start_after = now()
    where name = ${queue} and state = 'retry'
      and singleton_key = any(${[...held.singletonKeys]}::text[])
      and data->>'recordId' = any(${[...held.recordIds]}::text[])
    returning data->>'recordId' as "recordId"`.execute(db)
  return new Set(rows.map((r) => r.recordId))
}

/** Sets the `created_on` of these jobs of `queue` to the statement's moment (one clock reading for all). */
export async function stampJobsCreatedNow(db: Db, queue: string, jobIds: readonly string[]): Promise<void> {
  await sql`
    update pgboss.job set created_on = s.at
      from (select clock_timestamp() as at) s
     where name = ${queue} and id = any(${[...jobIds]}::uuid[])`.execute(db)
}

import { sql } from 'kysely'
import type { Db } from '../../runtime/store/database.ts'

const TABLES = [
  'tenants',
  'api_keys',
  'connections',
  'flows',
  'flow_versions',
  'runs',
  'records',
  'record_events',
  'subscriptions',
  'mapping_rows',
  'connection_state',
  'webhook_inbox',
  'reconciliations',
  'reconcile_schedules',
  'bulk_retries',
  'rate_samples',
]

/** A digest of every row of the API's tables: equal digests mean a request changed nothing. */
export async function tableSnapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of TABLES) {
    const { rows } = await sql<{ digest: string | null }>`
      select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from ${sql.table(table)} t`.execute(
      db,
    )
    out[table] = rows[0]?.digest ?? ''
  }
  return out
}

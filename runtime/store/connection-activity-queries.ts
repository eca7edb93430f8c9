import { sql } from 'kysely'
import type { Db } from './database.ts'

/**
 * When each of a tenant's connections last did its job in a delivery: the newest live record
 * delivered by a flow whose current version binds the connection (as source or target).
 */
export async function lastDeliveredByConnection(db: Db, tenantId: string): Promise<Map<string, Date>> {
  // One index probe per flow (records_flow_state), newest first: fast with many records.
  const { rows } = await sql<{ connectionId: string; at: Date }>`
    select b.value as connection_id, max(last.updated_at) as at
    from flows f
    join flow_versions v on v.flow_id = f.id and v.version = f.current_version
    cross join lateral jsonb_each_text(v.bindings) b
    cross join lateral (
      select r.updated_at from records r
      where r.flow_id = f.id and r.state = 'delivered' and not r.shadow
      order by r.updated_at desc limit 1
    ) last
    where f.tenant_id = ${tenantId}
    group by b.value`.execute(db)
  return new Map(rows.map((r) => [r.connectionId, new Date(r.at)]))
}

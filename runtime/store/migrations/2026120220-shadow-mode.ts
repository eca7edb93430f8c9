import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Shadow mode (go-live): a flow runs `live` or in `shadow`, where it reads, maps and checks against
 * the target but writes nothing. Records read in shadow carry `shadow` until the flow goes live, so
 * they stay apart from live ones (lists, metrics) and can be compared with them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table flows add column mode text not null default 'live'`.execute(db)
  await sql`alter table flows add constraint flows_mode check (mode in ('live', 'shadow'))`.execute(db)
  await sql`alter table records add column shadow boolean not null default false`.execute(db)
  await sql`create index records_flow_shadow on records (flow_id, state) where shadow`.execute(db)
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index records_flow_shadow`.execute(db)
  await sql`alter table records drop column shadow`.execute(db)
  await sql`alter table flows drop column mode`.execute(db)
}

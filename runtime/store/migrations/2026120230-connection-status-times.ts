import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Integrations cards say since when a connection fails and when it last worked: `status_since` is
 * when the status last changed, `last_ok_at` when a check last succeeded. Existing rows start from
 * their last update (the best answer the table already holds). (A connection also worked when a
 * flow bound to it last delivered a record: records_flow_state finds that newest record per flow.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table connections add column status_since timestamptz`.execute(db)
  await sql`alter table connections add column last_ok_at timestamptz`.execute(db)
  await sql`update connections set status_since = updated_at,
    last_ok_at = case when status = 'ok' then updated_at end`.execute(db)
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table connections drop column last_ok_at`.execute(db)
  await sql`alter table connections drop column status_since`.execute(db)
}

import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * The Overview's first byte with 100,000 records (issue 14: under 200 ms):
 * - per day and state counts and the latest delivery times read the (tenant_id, updated_at) index
 *   alone once state and created_at are in it (it replaces records_tenant_updated, same key);
 * - failure groups: each record keeps its failure's cause id, set by a trigger (the same
 *   expression as `cause` in failure-groups-queries.ts — change both together), so grouping the
 *   failed records no longer runs two regular expressions over each of them per page view.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index records_tenant_updated_state on records (tenant_id, updated_at)
    include (state, created_at)`.execute(db)
  await sql`drop index records_tenant_updated`.execute(db)
  // A trigger, not a generated column: code that copies a whole record row keeps working.
  await sql`alter table records add column failure_cause text`.execute(db)
  await sql`create function records_failure_cause() returns trigger language plpgsql as $$
    begin
      new.failure_cause := case when new.error is not null then md5(
        coalesce(new.error->>'kind', 'internal') || chr(31) || coalesce(new.error->>'code', '') || chr(31) ||
        case when new.error->>'code' = 'lookup_missing'
          then coalesce(new.error->>'message', '')
          else regexp_replace(regexp_replace(regexp_replace(
            coalesce(new.error->>'remoteMessage', new.error->>'message', ''),
            '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '…', 'g'),
            '"[^"]*"|''[^'']*''|“[^”]*”', '…', 'g'), '[0-9]+', '#', 'g') end) end;
      return new;
    end $$`.execute(db)
  await sql`create trigger records_failure_cause before insert or update of error on records
    for each row execute function records_failure_cause()`.execute(db)
  await sql`update records set error = error where error is not null`.execute(db)
  await sql`create index records_failed_cause on records (tenant_id, failure_cause, updated_at, id)
    include (flow_id) where state = 'failed'`.execute(db)
}

/** Puts the narrower index back and drops the cause column. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index records_failed_cause`.execute(db)
  await sql`drop trigger records_failure_cause on records`.execute(db)
  await sql`drop function records_failure_cause()`.execute(db)
  await sql`alter table records drop column failure_cause`.execute(db)
  await sql`create index records_tenant_updated on records (tenant_id, updated_at)`.execute(db)
  await sql`drop index records_tenant_updated_state`.execute(db)
}

import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * A record's place in source order: a bigint identity assigned as each page's rows are inserted (in
 * page order), so delivery jobs of one order key sort by it (`sortableId`) instead of by a clock.
 * Rows already stored are numbered in the order they were read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table records add column seq bigint`.execute(db)
  await sql`
    update records r set seq = o.n
    from (select id, row_number() over (order by created_at, id) as n from records) o
    where o.id = r.id`.execute(db)
  await sql`create sequence records_seq_seq owned by records.seq`.execute(db)
  await sql`select setval('records_seq_seq', coalesce((select max(seq) from records), 0) + 1, false)`.execute(
    db,
  )
  await sql`alter table records alter column seq set default nextval('records_seq_seq')`.execute(db)
  await sql`alter table records alter column seq set not null`.execute(db)
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table records drop column seq`.execute(db)
}

import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * What the console's operations pages read fast with 100,000 records:
 * - a tenant's records by state, newest change first (Activity's state filter, Exceptions' groups);
 * - a document number (vendor invoice number, supplier code: any top-level text of the source
 *   record) through a GIN index over those values, and the target's document number;
 * - the last notification per connection (webhook inbox by connection and time);
 * - rate-budget samples per connection over time (bounded retention; rate_buckets only counts);
 * - bulk retries, so their progress can be followed after the request returned.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index records_tenant_state_updated on records (tenant_id, state, updated_at desc, id desc)`.execute(
    db,
  )
  await sql`create index records_source_texts on records using gin
    (jsonb_path_query_array(source, 'strict $.* ? (@.type() == "string")') jsonb_path_ops)`.execute(db)
  await sql`create index records_tenant_target_number on records (tenant_id, target_number)
    where target_number is not null`.execute(db)
  // Diagnostics show each subscription's last notification: the newest inbox row of its connection.
  await db.schema
    .createIndex('webhook_inbox_connection_received')
    .on('webhook_inbox')
    .columns(['connection_id', 'received_at'])
    .execute()
  await db.schema
    .createTable('rate_samples')
    .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addColumn('waited', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_samples_pk', ['connection_id', 'at'])
    .execute()
  await db.schema
    .createTable('bulk_retries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('record_ids', sql`uuid[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('bulk_retries_tenant_created')
    .on('bulk_retries')
    .columns(['tenant_id', 'created_at'])
    .execute()
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bulk_retries').execute()
  await db.schema.dropTable('rate_samples').execute()
  await sql`drop index webhook_inbox_connection_received`.execute(db)
  await sql`drop index records_tenant_target_number`.execute(db)
  await sql`drop index records_source_texts`.execute(db)
  await sql`drop index records_tenant_state_updated`.execute(db)
}

import { type Kysely, sql } from 'kysely'

/** Webhook inbox, subscriptions, cross-process rate budgets and concurrency slots, recipe mapping tables. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_inbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('dedupe_key', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    .addColumn('body', 'bytea', (c) => c.notNull())
    .addColumn('events', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('error', 'text')
    .execute()
  await sql`create unique index webhook_inbox_dedupe on webhook_inbox (connection_id, dedupe_key) where dedupe_key is not null`.execute(
    db,
  )

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('secret', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('last_error', 'text')
    .addColumn('renewed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('subscriptions_connection_stream', ['connection_id', 'stream'])
    .execute()

  await db.schema
    .createTable('rate_buckets')
    .addColumn('connection_id', 'uuid', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    .addColumn('tokens', 'float8', (c) => c.notNull())
    .addColumn('refilled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('used', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('waited', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('concurrency_slots')
    .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addPrimaryKeyConstraint('concurrency_slots_pk', ['connection_id', 'slot'])
    .execute()

  await db.schema
    .createTable('mapping_rows')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'confirmed')`))
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('mapping_rows_pk', ['tenant_id', 'table_name', 'key'])
    .execute()
}

/** Drops what `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'mapping_rows',
    'concurrency_slots',
    'rate_buckets',
    'subscriptions',
    'webhook_inbox',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}

import { type Kysely, sql } from 'kysely'

/** Tenants, API keys, connections, flows and their immutable versions, runs, records, the ledger, cursors. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'tenant')`))
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('connections')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unchecked'))
    .addColumn('status_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('connections_tenant_name', ['tenant_id', 'name'])
    .execute()

  await db.schema
    .createTable('connection_state')
    .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('connection_state_pk', ['connection_id', 'key'])
    .execute()

  await db.schema
    .createTable('flows')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('recipe', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('flows_tenant_name', ['tenant_id', 'name'])
    .execute()

  await db.schema
    .createTable('flow_versions')
    .addColumn('flow_id', 'uuid', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('manifest', 'jsonb', (c) => c.notNull())
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('bindings', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('flow_versions_pk', ['flow_id', 'version'])
    .execute()

  await db.schema
    .createTable('runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('flow_id', 'uuid', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('live'))
    .addColumn('window', 'jsonb')
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'jsonb')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('runs_flow_started').on('runs').columns(['flow_id', 'started_at']).execute()

  await db.schema
    .createTable('records')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('flow_id', 'uuid', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'uuid')
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('source_version', 'text', (c) => c.notNull())
    .addColumn('order_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .addColumn('mapped', 'jsonb')
    .addColumn('target_id', 'text')
    .addColumn('target_number', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('write_attempted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('records_identity', ['flow_id', 'source_key', 'source_version'])
    .execute()
  await db.schema
    .createIndex('records_flow_state')
    .on('records')
    .columns(['flow_id', 'state', 'updated_at'])
    .execute()
  await db.schema
    .createIndex('records_tenant_updated')
    .on('records')
    .columns(['tenant_id', 'updated_at'])
    .execute()
  await db.schema
    .createIndex('records_correlation')
    .on('records')
    .column('correlation_id')
    .where(sql.ref('correlation_id'), 'is not', null)
    .execute()

  await db.schema
    .createTable('record_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('record_events_record')
    .on('record_events')
    .columns(['record_id', 'id'])
    .execute()

  await db.schema
    .createTable('cursors')
    .addColumn('flow_id', 'uuid', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cursors_pk', ['flow_id', 'scope'])
    .execute()

  // The ledger is append-only: updates and deletes of single events are refused by the database itself.
  await sql`
    create function record_events_append_only() returns trigger language plpgsql as $$
    begin raise exception 'record_events is append-only'; end $$;
    create trigger record_events_no_update before update on record_events
      for each row execute function record_events_append_only();
  `.execute(db)
}

/** Drops everything `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'cursors',
    'record_events',
    'records',
    'runs',
    'flow_versions',
    'flows',
    'connection_state',
    'connections',
    'api_keys',
    'tenants',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists record_events_append_only() cascade`.execute(db)
}

import { type Kysely, sql } from 'kysely'

/**
 * Reconciliations of a period (one flow or a whole recipe), their per-flow summaries and one row per
 * reconciled document; and the daily schedules that start them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reconciliations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('flow_id', 'uuid', (c) => c.references('flows.id').onDelete('cascade'))
    .addColumn('recipe', 'text')
    .addColumn('period_from', 'date', (c) => c.notNull())
    .addColumn('period_to', 'date', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint('reconciliations_scope', sql`(flow_id is null) <> (recipe is null)`)
    .addCheckConstraint('reconciliations_period', sql`period_from < period_to`)
    .execute()
  await db.schema
    .createIndex('reconciliations_tenant_created')
    .on('reconciliations')
    .columns(['tenant_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('reconciliation_flows')
    .addColumn('reconciliation_id', 'uuid', (c) =>
      c.notNull().references('reconciliations.id').onDelete('cascade'),
    )
    .addColumn('flow_id', 'uuid', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('flow_name', 'text', (c) => c.notNull())
    .addColumn('target_view', 'text', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('reconciliation_flows_pk', ['reconciliation_id', 'flow_id'])
    .execute()
  await db.schema
    .createIndex('reconciliation_flows_flow_finished')
    .on('reconciliation_flows')
    .columns(['flow_id', 'finished_at'])
    .execute()

  await db.schema
    .createTable('reconciliation_items')
    .addColumn('reconciliation_id', 'uuid', (c) =>
      c.notNull().references('reconciliations.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('flow_id', 'uuid', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text')
    .addColumn('record_id', 'uuid')
    .addColumn('ferry_state', 'text')
    .addColumn('party', 'text')
    .addColumn('reference', 'text')
    .addColumn('date', 'text')
    .addColumn('currency', 'text')
    .addColumn('amount', 'numeric')
    .addColumn('target_ids', 'jsonb', (c) => c.notNull())
    .addColumn('target_numbers', 'jsonb', (c) => c.notNull())
    .addColumn('differences', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('reconciliation_items_pk', ['reconciliation_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('reconciliation_items_class')
    .on('reconciliation_items')
    .columns(['reconciliation_id', 'class', 'seq'])
    .execute()

  await db.schema
    .createTable('reconcile_schedules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('flow_id', 'uuid', (c) => c.references('flows.id').onDelete('cascade'))
    .addColumn('recipe', 'text')
    .addColumn('period', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('reconcile_schedules_scope', sql`(flow_id is null) <> (recipe is null)`)
    .execute()
  await sql`create unique index reconcile_schedules_scope_unique
    on reconcile_schedules (tenant_id, coalesce(flow_id::text, ''), coalesce(recipe, ''))`.execute(db)
  await db.schema
    .createIndex('reconcile_schedules_next_at')
    .on('reconcile_schedules')
    .column('next_at')
    .execute()
  // Reconciliation reads a flow's records in source order, page by page.
  await db.schema.createIndex('records_flow_seq').on('records').columns(['flow_id', 'seq']).execute()
}

/** Drops what `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('records_flow_seq').ifExists().execute()
  for (const table of [
    'reconcile_schedules',
    'reconciliation_items',
    'reconciliation_flows',
    'reconciliations',
  ])
    await db.schema.dropTable(table).ifExists().execute()
}

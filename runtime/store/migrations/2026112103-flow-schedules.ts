import type { Kysely } from 'kysely'

/**
 * Ferry's own schedule table (one row per enabled, scheduled flow, due rows found through the
 * `next_at` index) and the flow's last poll time, kept on the flow because a poll that found nothing
 * new leaves no run row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('flow_schedules')
    .addColumn('flow_id', 'uuid', (c) => c.primaryKey().references('flows.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('flow_schedules_next_at').on('flow_schedules').column('next_at').execute()
  await db.schema.alterTable('flows').addColumn('last_polled_at', 'timestamptz').execute()
}

/** Drops what `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flows').dropColumn('last_polled_at').execute()
  await db.schema.dropTable('flow_schedules').ifExists().execute()
}

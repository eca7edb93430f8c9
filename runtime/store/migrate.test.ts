import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { migrateToLatest } from './migrate.ts'

describe('store migrations', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase('migrate')
  })
  afterAll(() => t.drop())

  it('the template is already at the latest migration, so migrating again applies nothing', async () => {
    expect(await migrateToLatest(t.db)).toEqual([])
  })

  it('creates every table the store owns, and pg-boss has its own schema', async () => {
    const { rows } = await sql<{ name: string }>`
      select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema in ('public', 'pgboss') order by 1`.execute(t.db)
    const names = rows.map((r) => r.name)
    for (const table of [
      'tenants',
      'api_keys',
      'connections',
      'flows',
      'flow_versions',
      'runs',
      'records',
      'record_events',
      'cursors',
    ]) {
      expect(names).toContain(`public.${table}`)
    }
    expect(names).toContain('pgboss.job')
  })

  it('refuses to rewrite a ledger event', async () => {
    const tenant = await t.db
      .insertInto('tenants')
      .values({ name: 'ledger' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const flow = await t.db
      .insertInto('flows')
      .values({ tenantId: tenant.id, name: 'f', currentVersion: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const recordId = crypto.randomUUID()
    await t.db
      .insertInto('records')
      .values({
        id: recordId,
        tenantId: tenant.id,
        flowId: flow.id,
        flowVersion: 1,
        sourceKey: 'k',
        sourceVersion: '1',
        state: 'queued',
        source: '{}',
      })
      .execute()
    await t.db.insertInto('recordEvents').values({ recordId, type: 'read', attempt: 0, data: '{}' }).execute()
    await expect(t.db.updateTable('recordEvents').set({ type: 'forged' }).execute()).rejects.toThrow(
      /append-only/,
    )
  })

  it('keeps one record per flow, source key and source version', async () => {
    const row = await t.db.selectFrom('records').selectAll().executeTakeFirstOrThrow()
    await expect(
      t.db
        .insertInto('records')
        .values({ ...row, id: crypto.randomUUID(), source: '{}', mapped: null, error: null, progress: '{}' })
        .execute(),
    ).rejects.toThrow(/records_identity/)
  })
})

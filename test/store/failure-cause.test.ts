/**
 * The records table keeps each failure's cause id in a column a trigger sets (migration 2026120231) so
 * the Overview and Exceptions group failures fast; it must equal the `cause` expression the store
 * documents, for every kind of error message.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cause } from '../../runtime/store/failure-groups-queries.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const errors: [string, Record<string, unknown> | null][] = [
  [
    'remote message with numbers and quotes',
    { kind: 'rejected', code: 'BC1', remoteMessage: 'Vendor \'V0012\' line 10000 "x" “y”' },
  ],
  ['message only', { kind: 'transient', message: 'timeout after 30 s' }],
  [
    "BC's CorrelationId (a GUID) is blanked",
    {
      kind: 'rejected',
      remoteMessage: 'The posting period is closed.  CorrelationId:  0d5c2b1e-7a3f-4c2e-9b1d-3e4f5a6b7c8d.',
    },
  ],
  ['no kind, no code', { message: 'boom 42' }],
  [
    'lookup_missing keeps the key',
    { kind: 'rejected', code: 'lookup_missing', message: "no row for '0312345678'" },
  ],
  ['empty error object', {}],
  ['no error', null],
]

describe('records.failure_cause', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase('failure-cause')
  })
  afterAll(async () => {
    await t?.drop()
  })

  it.each(errors)('equals the documented cause expression: %s', async (_name, error) => {
    const tenant = await ensureTenant(t.db, `t-${_name}`)
    const flow = await t.db
      .insertInto('flows')
      .values({ tenantId: tenant.id, name: 'f', currentVersion: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { rows } = await sql<{ stored: string | null; computed: string }>`
      insert into records (id, tenant_id, flow_id, flow_version, source_key, source_version, state, source, error)
      values (gen_random_uuid(), ${tenant.id}, ${flow.id}, 1, 'k', '1', 'failed', '{}',
              ${error === null ? null : JSON.stringify(error)}::jsonb)
      returning failure_cause as stored, ${cause} as computed`.execute(t.db)
    const [row] = rows
    if (error === null) expect(row!.stored).toBeNull()
    else expect(row!.stored).toBe(row!.computed)
  })

  it('follows a record whose error changes (a retry that fails for another reason)', async () => {
    const tenant = await ensureTenant(t.db, 't-update')
    const flow = await t.db
      .insertInto('flows')
      .values({ tenantId: tenant.id, name: 'f', currentVersion: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await sql`insert into records (id, tenant_id, flow_id, flow_version, source_key, source_version, state, source, error)
      values (gen_random_uuid(), ${tenant.id}, ${flow.id}, 1, 'k', '1', 'failed', '{}', '{"message":"first"}')`.execute(
      t.db,
    )
    const { rows } = await sql<{ stored: string; computed: string }>`
      update records set error = '{"kind":"rejected","message":"second 7"}' where tenant_id = ${tenant.id}
      returning failure_cause as stored, ${cause} as computed`.execute(t.db)
    expect(rows[0]!.stored).toBe(rows[0]!.computed)
  })
})

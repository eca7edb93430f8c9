import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureAdminKey, replaceNamedApiKey } from '../../runtime/store/api-keys-queries.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { createApiFixture } from './api-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

// Finding 5 of issue 13: every start minted and printed a new admin key, old admin and demo keys
// kept working, and an admin key could not be revoked (DELETE answered 404).
describe('API keys: admin keys are revocable and rotatable; restarts mint none', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await createApiFixture('api-keys')
  })
  afterAll(() => f.t.drop())

  const works = async (key: string, path = '/v1/tenants') => (await f.call(key, 'GET', path)).status

  it('an admin key is revoked through DELETE /v1/api-keys/:id, but never the last one', async () => {
    const second = await f.call(f.admin.key, 'POST', '/v1/api-keys', { name: 'ops' })
    expect(second.status, second.text).toBe(201)
    expect(second.json.key).toMatch(/^fry_adm_/)
    expect(second.json.prefix).toBe(second.json.key.slice(0, 12))
    expect(await works(second.json.key)).toBe(200)

    const revoked = await f.call(second.json.key, 'DELETE', `/v1/api-keys/${f.admin.id}`)
    expect(revoked.status, revoked.text).toBe(204)
    expect(await works(f.admin.key)).toBe(401)

    const last = await f.call(second.json.key, 'DELETE', `/v1/api-keys/${second.json.id}`)
    expect(last.status).toBe(409)
    expect(last.json.detail).toMatch(/last active admin key/)
    expect(await works(second.json.key)).toBe(200)
    f.admin = { id: second.json.id, key: second.json.key, prefix: second.json.prefix }
  })

  it('rotation replaces a tenant key: same tenant and name, the old key stops working at once', async () => {
    const issued = await f.call(f.admin.key, 'POST', `/v1/tenants/${f.tenantB.id}/api-keys`, { name: 'erp' })
    expect(await works(issued.json.key, '/v1/flows')).toBe(200)
    const rotated = await f.call(f.admin.key, 'POST', `/v1/api-keys/${issued.json.id}/rotate`)
    expect(rotated.status, rotated.text).toBe(201)
    expect(rotated.json.id).not.toBe(issued.json.id)
    expect(await works(issued.json.key, '/v1/flows')).toBe(401)
    expect(await works(rotated.json.key, '/v1/flows')).toBe(200)
    const listed = (await f.call(f.admin.key, 'GET', `/v1/tenants/${f.tenantB.id}/api-keys`)).json.items
    expect(listed.find((k: any) => k.id === rotated.json.id)).toMatchObject({ name: 'erp', role: 'tenant' })
    expect(listed.find((k: any) => k.id === issued.json.id).revokedAt).not.toBeNull()

    const again = await f.call(f.admin.key, 'POST', `/v1/api-keys/${issued.json.id}/rotate`)
    expect(again.status).toBe(409)
    const unknown = await f.call(
      f.admin.key,
      'POST',
      '/v1/api-keys/00000000-0000-4000-8000-000000000000/rotate',
    )
    expect(unknown.status).toBe(404)
  })

  it('rotating the admin key in use hands over to the new key', async () => {
    const rotated = await f.call(f.admin.key, 'POST', `/v1/api-keys/${f.admin.id}/rotate`)
    expect(rotated.status, rotated.text).toBe(201)
    expect(await works(f.admin.key)).toBe(401)
    expect(await works(rotated.json.key)).toBe(200)
    f.admin = rotated.json
  })

  it('lists every key with its role and tenant, never a hash or a clear key', async () => {
    const res = await f.call(f.admin.key, 'GET', '/v1/api-keys')
    expect(res.status).toBe(200)
    const roles = new Set(res.json.items.map((k: any) => k.role))
    expect(roles).toEqual(new Set(['admin', 'tenant']))
    for (const item of res.json.items)
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'id',
        'name',
        'prefix',
        'revokedAt',
        'role',
        'tenantId',
      ])
    expect(res.text).not.toContain(f.admin.key)
    expect((await f.call(f.keyA, 'GET', '/v1/api-keys')).status).toBe(403)
  })
})

describe('the admin key at start', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase('admin-key-at-start')
  })
  afterAll(() => t.drop())

  const adminKeys = () => t.db.selectFrom('apiKeys').selectAll().where('role', '=', 'admin').execute()

  it('is minted once; later starts find it and mint nothing', async () => {
    const first = await ensureAdminKey(t.db)
    expect(first.state).toBe('created')
    const again = await ensureAdminKey(t.db)
    expect(again).toEqual({ state: 'existing', prefixes: [first.state === 'created' ? first.prefix : ''] })
    expect(await adminKeys()).toHaveLength(1)
  })

  it('FERRY_ADMIN_KEY is registered once, and once revoked a restart does not revive it', async () => {
    const supplied = 'operator-chosen-admin-key-0123456789abcdef'
    expect(await ensureAdminKey(t.db, supplied)).toEqual({ state: 'supplied', prefix: supplied.slice(0, 12) })
    expect(await ensureAdminKey(t.db, supplied)).toEqual({ state: 'supplied', prefix: supplied.slice(0, 12) })
    expect(await adminKeys()).toHaveLength(2)
    await t.db
      .updateTable('apiKeys')
      .set({ revokedAt: new Date() })
      .where('name', '=', 'FERRY_ADMIN_KEY')
      .execute()
    expect((await ensureAdminKey(t.db, supplied)).state).toBe('supplied-revoked')
    const row = (await adminKeys()).find((k) => k.name === 'FERRY_ADMIN_KEY')!
    expect(row.revokedAt).not.toBeNull()
  })

  it("a tenant's key given as FERRY_ADMIN_KEY never becomes an admin key", async () => {
    const tenant = await t.db
      .insertInto('tenants')
      .values({ name: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const demo = await replaceNamedApiKey(t.db, tenant.id, 'demo')
    await expect(ensureAdminKey(t.db, demo.key)).rejects.toThrow(/tenant key/)
  })

  it('the demo key is replaced at each start instead of piling up', async () => {
    const tenant = await t.db
      .insertInto('tenants')
      .values({ name: 'demo' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceNamedApiKey(t.db, tenant.id, 'demo')
    await replaceNamedApiKey(t.db, tenant.id, 'demo')
    const latest = await replaceNamedApiKey(t.db, tenant.id, 'demo')
    const active = await t.db
      .selectFrom('apiKeys')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('revokedAt', 'is', null)
      .execute()
    expect(active).toEqual([{ id: latest.id }])
  })
})

import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import { createConnectionContexts } from '../../runtime/engine/connection-contexts.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { connectionStateStore, sealConnectionState } from '../../runtime/store/connection-state-store.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const MISA_URL = 'http://misa.sandbox.localhost'

/** Every connection_state row as PostgreSQL holds it, in one string. */
async function rawState(t: TestDatabase): Promise<string> {
  const { rows } = await sql<{ row: string }>`select c::text as row from connection_state c`.execute(t.db)
  return rows.map((r) => r.row).join('\n')
}

// Finding 6 of issue 13: MISA's access token and BC's delegated refresh tokens sat in clear in
// connection_state. Now every value is sealed with the master key, as connection secrets are.
describe('connection state at rest', () => {
  let t: TestDatabase
  let connectionId: string
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('connection-state-at-rest')
    const tenant = await ensureTenant(t.db, 'state')
    const sandbox = await connectors.misa.sandbox!({ baseUrl: MISA_URL, seed: 'demo' })
    const contexts = createConnectionContexts({
      db: t.db,
      box,
      registry: connectors,
      log: silentLogger,
      fetch: sandboxFetch([{ baseUrl: MISA_URL, sandbox }]),
    })
    connectionId = (
      await saveConnection(t.db, box, {
        tenantId: tenant.id,
        name: 'misa',
        connector: 'misa',
        config: sandbox.connectionConfig(),
        schema: connectors.misa.configSchema,
      })
    ).id
    const live = await contexts.get(connectionId)
    await live.connector.check(live.ctx)
  })
  afterAll(() => t.drop())

  it("MISA's access token is stored sealed, and the connector reads it back", async () => {
    const store = connectionStateStore(t.db, connectionId, box)
    const rows = await t.db.selectFrom('connectionState').select(['key']).execute()
    expect(rows.length).toBeGreaterThan(0)
    const token = (await store.get<{ token: string }>(rows[0]!.key))?.token
    expect(token).toEqual(expect.any(String))
    expect(token!.length).toBeGreaterThan(8)
    const raw = await rawState(t)
    expect(raw).not.toContain(token)
    expect(raw).toContain('ferry:sealed')
  })

  it('every operation round-trips through the seal; another master key cannot open it', async () => {
    const store = connectionStateStore(t.db, connectionId, box)
    await store.set('refresh', 'bc-refresh-token-0.AAAA')
    await store.setMany([
      ['hash:V1', 'abc123'],
      ['hash:V2', { nested: ['x', 1, null] }],
    ])
    expect(await store.get('refresh')).toBe('bc-refresh-token-0.AAAA')
    expect(await store.getMany(['hash:V1', 'hash:V2', 'none'])).toEqual(
      new Map<string, unknown>([
        ['hash:V1', 'abc123'],
        ['hash:V2', { nested: ['x', 1, null] }],
      ]),
    )
    const raw = await rawState(t)
    for (const secret of ['bc-refresh-token-0.AAAA', 'abc123', 'nested']) expect(raw).not.toContain(secret)
    const other = connectionStateStore(t.db, connectionId, createSecretBox(randomBytes(32)))
    await expect(other.get('refresh')).rejects.toThrow(/master key/)
  })

  it('values an earlier version wrote in clear are still read, and sealed at the next start', async () => {
    await t.db
      .insertInto('connectionState')
      .values({ connectionId, key: 'legacy', value: JSON.stringify('old-clear-refresh-token') })
      .execute()
    const store = connectionStateStore(t.db, connectionId, box)
    expect(await store.get('legacy')).toBe('old-clear-refresh-token')
    expect(await sealConnectionState(t.db, box)).toBe(1)
    expect(await rawState(t)).not.toContain('old-clear-refresh-token')
    expect(await store.get('legacy')).toBe('old-clear-refresh-token')
    expect(await sealConnectionState(t.db, box)).toBe(0)
  })
})

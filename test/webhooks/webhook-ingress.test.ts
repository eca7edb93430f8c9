import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const CLIENT_SECRET = 'bc-client-secret-value'
const CLIENT_STATE = 'Zk9tX2NsaWVudF9zdGF0ZV9zZWNyZXQ'

// Findings 6 and 7 of issue 13 at the webhook ingress: BC's clientState (the secret every BC
// notification echoes) sat in clear in webhook_inbox.body, and ?validationToken=… was echoed
// without nosniff.
describe('webhook ingress: echoes are inert, stored deliveries keep no secret', () => {
  let t: TestDatabase
  let service: Service
  let path: string
  let connectionId: string
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('webhook-ingress')
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: false,
    })
    const tenant = await ensureTenant(t.db, 'hooks')
    const connection = await saveConnection(t.db, box, {
      tenantId: tenant.id,
      name: 'bc',
      connector: 'business-central',
      config: {
        tenantId: 'contoso.onmicrosoft.com',
        environment: 'Production',
        company: 'CRONUS',
        clientId: 'app',
        clientSecret: CLIENT_SECRET,
        baseUrl: 'https://bc.invalid',
        authorityUrl: 'https://login.invalid',
      },
      schema: testRegistry['business-central']!.configSchema,
    })
    connectionId = connection.id
    await t.db
      .insertInto('subscriptions')
      .values({
        tenantId: tenant.id,
        connectionId,
        stream: 'vendors',
        remoteId: 'sub-1',
        secret: box.seal({ secret: CLIENT_STATE }),
        data: JSON.stringify({}),
      })
      .execute()
    path = `/hooks/${tenant.id}/${connectionId}`
  })
  afterAll(async () => {
    await service.stop()
    await t.drop()
  })

  const notify = (entry: Record<string, unknown>) =>
    service.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-state-copy': CLIENT_STATE },
      body: JSON.stringify({
        value: [{ subscriptionId: 'sub-1', clientState: CLIENT_STATE, changeType: 'updated', ...entry }],
      }),
    })

  it('echoes a validationToken as inert plain text: nosniff, no scripts, never HTML', async () => {
    const token = '<script>alert(document.cookie)</script>'
    const res = await service.app.request(`${path}?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(token) // BC's handshake needs the token back verbatim
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
  })

  it('stores a BC notification without its clientState, in body and headers', async () => {
    const res = await notify({
      resource: 'api/v2.0/companies(c1)/vendors(6f0b2c1e-0000-4000-8000-000000000010)',
      lastModifiedDateTime: '2026-12-02T10:00:00Z',
    })
    expect(res.status, await res.text()).toBe(200)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const rows = await t.db.selectFrom('webhookInbox').selectAll().execute()
    expect(rows).toHaveLength(1)
    const stored = JSON.stringify(rows[0]!.headers) + Buffer.from(rows[0]!.body).toString('utf8')
    expect(stored).toContain('"clientState":"[redacted]"')
    expect(stored).toContain('[redacted]')
    expect(stored).not.toContain(CLIENT_STATE)
    expect(stored).not.toContain(CLIENT_SECRET)
    expect(rows[0]!.events).toEqual([
      expect.objectContaining({ stream: 'vendors', ids: ['6f0b2c1e-0000-4000-8000-000000000010'] }),
    ])
  })

  it('refuses with 400, not 500, a delivery whose events hold text PostgreSQL cannot store', async () => {
    const before = await t.db.selectFrom('webhookInbox').select('id').execute()
    const res = await notify({
      resource: 'api/v2.0/companies(c1)/vendors(ab\u0000cd)',
      lastModifiedDateTime: '2026-12-02T10:05:00Z',
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(((await res.json()) as { detail: string }).detail).toMatch(/NUL/)
    expect(await t.db.selectFrom('webhookInbox').select('id').execute()).toEqual(before)
  })
})

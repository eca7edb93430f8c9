/**
 * Issue 13, finding 2: a tenant must not be able to send a connection's stored secret to a host of
 * its choosing, nor make Ferry call file:, metadata or private addresses, nor stall a check, nor
 * have a remote error page reflected raw. Runs the real Basware connector against its sandbox.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { createEgressPolicy } from '../../runtime/egress/egress-policy.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { recordingFlowControl } from '../api/api-fixture.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const SANDBOX = 'http://basware.localhost'
/** A host the tenant controls: it answers what the test tells it and records what it was sent. */
const EVIL = 'https://evil.example'

describe('connection egress (issue 13, finding 2)', () => {
  let t: TestDatabase
  let sandbox: Sandbox
  let key: string
  const evilSeen: Request[] = []
  let evilAnswer: (request: Request) => Response = () => new Response('{}', { status: 200 })
  let app: ReturnType<typeof createApiApp>

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined }
  }

  beforeAll(async () => {
    t = await createTestDatabase('connection-egress')
    sandbox = await connectors.basware.sandbox!({ baseUrl: SANDBOX, seed: 'demo' })
    const transport: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.url.startsWith(SANDBOX)) return sandbox.fetch(request)
      evilSeen.push(request)
      return evilAnswer(request)
    }
    const box = createSecretBox(randomBytes(32))
    app = createApiApp({
      db: t.db,
      box,
      registry: connectors,
      catalog: catalogFromConnectors(connectors),
      flowControl: recordingFlowControl(t.db).control,
      log: silentLogger,
      fetch: transport,
      egress: createEgressPolicy({ allowLoopback: true }),
      recipesDir: '/nonexistent',
    })
    const tenant = await ensureTenant(t.db, 'egress')
    key = (await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })).key
  })
  afterAll(async () => {
    await sandbox.close()
    await t.drop()
  })

  const create = async (name: string, config: Record<string, unknown> = {}) =>
    call('POST', '/v1/connections', {
      name,
      connector: 'basware',
      config: { ...sandbox.connectionConfig(), ...config },
    })

  it('refuses to keep the stored secrets when an endpoint moves, so a check cannot carry them away', async () => {
    const created = await create('moved')
    expect(created.status).toBe(201)
    expect((await call('POST', `/v1/connections/${created.json.id}/check`)).json.ok).toBe(true)

    const moved = await call('PUT', `/v1/connections/${created.json.id}`, { config: { baseUrl: EVIL } })
    expect(moved.status).toBe(422)
    expect(moved.json.type).toMatch(/secrets-required/)
    expect(moved.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/config/clientSecret',
      '/config/password',
    ])
    // Choosing a region moves the endpoint as much as a URL does.
    const region = await call('PUT', `/v1/connections/${created.json.id}`, {
      config: { region: 'US', baseUrl: undefined },
    })
    expect(region.status).toBe(422)

    // The connection still points where its secrets were entered; the check goes there only.
    expect((await call('POST', `/v1/connections/${created.json.id}/check`)).json.ok).toBe(true)
    expect(evilSeen).toHaveLength(0)

    // Re-entering the secrets for the new endpoint is an ordinary update.
    const reentered = await call('PUT', `/v1/connections/${created.json.id}`, {
      config: { baseUrl: EVIL, clientSecret: 'entered-for-evil', password: 'entered-for-evil' },
    })
    expect(reentered.status).toBe(200)
    // Other fields still update without the secrets.
    const other = await call('PUT', `/v1/connections/${created.json.id}`, {
      config: { scopes: 'vendors.read' },
    })
    expect(other.status).toBe(200)
  })

  it.each([
    ['file:///etc/passwd', /scheme file:/],
    ['gopher://127.0.0.1:6379/_FLUSHALL', /scheme gopher:/],
    ['javascript:alert(1)', /scheme javascript:/],
    ['http://169.254.169.254/latest/meta-data', /plain http/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://2852039166/latest', /link-local/],
    ['https://[::ffff:169.254.169.254]/', /link-local/],
    ['https://10.0.0.7/', /private/],
    ['http://api.basware.com', /plain http/],
  ])('refuses baseUrl %s when it is saved, pointing at the field', async (baseUrl, reason) => {
    const created = await create(`bad-${randomBytes(3).toString('hex')}`, { baseUrl })
    expect(created.status).toBe(422)
    expect(created.json.errors).toEqual([
      { pointer: '/config/baseUrl', detail: expect.stringMatching(reason) },
    ])
  })

  it('quotes a remote error page bounded, without markup, and says who said it', async () => {
    const created = await create('noisy', { baseUrl: 'https://noisy.example' })
    expect(created.status).toBe(201)
    evilAnswer = () =>
      new Response(`<html><script>steal()</script><h1>Bad request</h1>${'<p>blah</p>'.repeat(2000)}</html>`, {
        status: 400,
        headers: { 'content-type': 'text/html' },
      })
    const check = (await call('POST', `/v1/connections/${created.json.id}/check`)).json
    expect(check.ok).toBe(false)
    expect(check.message).toMatch(/^Basware answered 400/)
    expect(check.message).toContain('Bad request')
    expect(check.message).not.toMatch(/[<>]/)
    expect(check.message).not.toContain('steal()')
    expect(check.message.length).toBeLessThan(800)
  })

  it('follows a Basware 302 to another host without credentials, and never to a refused address', async () => {
    const created = await create('redirected', { baseUrl: 'https://api.redirect.example' })
    expect(created.status).toBe(201)
    let target = 'https://downloads.other.example/doc.json'
    evilAnswer = (request) => {
      const url = new URL(request.url)
      if (url.pathname === '/v1/tokens')
        return Response.json({ access_token: 'token-for-redirect', expires_in: 3600 })
      if (url.hostname === 'api.redirect.example')
        return new Response(null, { status: 302, headers: { location: target } })
      return Response.json({ items: [] })
    }
    evilSeen.length = 0
    expect((await call('POST', `/v1/connections/${created.json.id}/check`)).json.ok).toBe(true)
    const followed = evilSeen.find((r) => r.url === target)!
    expect(followed.headers.get('authorization')).toBeNull()

    target = 'http://169.254.169.254/latest/meta-data/iam'
    evilSeen.length = 0
    const refused = (await call('POST', `/v1/connections/${created.json.id}/check`)).json
    expect(refused).toMatchObject({ ok: false, kind: 'config' })
    expect(refused.message).toMatch(/egress policy refused/)
    expect(evilSeen.map((r) => new URL(r.url).hostname)).not.toContain('169.254.169.254')
  })

  it('gives up on a host that accepts TCP and never answers', async () => {
    const sockets: Socket[] = []
    const silent = createServer((s) => sockets.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    // The network transport this time, with the deployment's timeouts made short.
    const netApp = createApiApp({
      db: t.db,
      box: createSecretBox(randomBytes(32)),
      registry: connectors,
      catalog: catalogFromConnectors(connectors),
      flowControl: recordingFlowControl(t.db).control,
      log: silentLogger,
      egress: createEgressPolicy({ allowLoopback: true, totalTimeoutMs: 500, connectTimeoutMs: 500 }),
      recipesDir: '/nonexistent',
    })
    const tenant = await ensureTenant(t.db, 'egress-silent')
    const k = (await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })).key
    const req = (method: string, path: string, body?: unknown) =>
      netApp.request(path, {
        method,
        headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const created = (await (
      await req('POST', '/v1/connections', {
        name: 'silent',
        connector: 'basware',
        config: { ...sandbox.connectionConfig(), baseUrl: `http://127.0.0.1:${port}` },
      })
    ).json()) as { id: string }
    const check = (await (await req('POST', `/v1/connections/${created.id}/check`)).json()) as {
      message: string
    }
    expect(check).toMatchObject({ ok: false, kind: 'transient' })
    expect(check.message).toMatch(/did not answer completely within 500 ms/)
    for (const s of sockets) s.destroy()
    await new Promise((r) => silent.close(r))
  })
})

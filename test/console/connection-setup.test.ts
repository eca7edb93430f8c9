/**
 * Issue 14, Integrations: the Basware and MISA forms are checked against the system BEFORE anything is
 * saved (a refusal shows the system's exact error and saves nothing), and each card says since when
 * a connection fails and when it last worked, in the tenant's time zone. Real connectors against
 * their sandboxes, real PostgreSQL, the console in-process.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { formatDate } from '../../runtime/console/format-date.ts'
import { mountConsole } from '../../runtime/console/mount-console.ts'
import { createEgressPolicy } from '../../runtime/egress/egress-policy.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey, setTenantTimeZone } from '../../runtime/store/tenants-store.ts'
import { recordingFlowControl } from '../api/api-fixture.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const ORIGIN = 'http://ferry.localhost'
const BASWARE = 'http://basware.localhost'
const MISA = 'http://misa.localhost'
const ZONE = 'Asia/Ho_Chi_Minh'

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

describe('integrations: checked before saving, failing since and last success', () => {
  let t: TestDatabase
  let basware: Sandbox
  let misa: Sandbox
  let app: ReturnType<typeof createApiApp>
  let tenantId: string
  let key: string
  const jar = new Map<string, string>()

  /** A browser on the console: cookies kept, forms posted with the page's CSRF token. */
  const go = async (path: string, form?: Record<string, string>) => {
    const headers = new Headers()
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    if (form) {
      headers.set('content-type', 'application/x-www-form-urlencoded')
      headers.set('origin', ORIGIN)
    }
    const res = await app.request(`${ORIGIN}${path}`, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
    for (const line of res.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=')
      jar.set(name!, value!)
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() }
  }
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as any }
  }
  /** Posts a connector's setup form the way the browser sends it (`config.<field>`). */
  const submitSetup = async (connector: string, config: Record<string, unknown>) => {
    const page = await go(`/console/integrations/${connector}/setup`)
    const form: Record<string, string> = { _csrf: csrfOf(page.html) }
    for (const [k, v] of Object.entries(config)) form[`config.${k}`] = String(v)
    return go(`/console/integrations/${connector}/setup`, form)
  }
  const connectionRows = () => t.db.selectFrom('connections').select(['connector', 'status']).execute()

  beforeAll(async () => {
    t = await createTestDatabase('connection-setup')
    basware = await connectors.basware.sandbox!({ baseUrl: BASWARE, seed: 'demo' })
    misa = await connectors.misa.sandbox!({ baseUrl: MISA, seed: 'demo' })
    const transport: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.url.startsWith(BASWARE)) return basware.fetch(request)
      if (request.url.startsWith(MISA)) return misa.fetch(request)
      return new Response('no such host', { status: 502 })
    }
    app = createApiApp({
      db: t.db,
      box: createSecretBox(randomBytes(32)),
      registry: connectors,
      catalog: catalogFromConnectors(connectors),
      flowControl: recordingFlowControl(t.db).control,
      log: silentLogger,
      fetch: transport,
      egress: createEgressPolicy({ allowLoopback: true }),
      recipesDir: '/nonexistent',
    })
    mountConsole(app, { db: t.db, log: silentLogger, publicUrl: ORIGIN })
    const tenant = await ensureTenant(t.db, 'setup')
    tenantId = tenant.id
    await setTenantTimeZone(t.db, tenantId, ZONE)
    key = (await issueApiKey(t.db, { role: 'tenant', tenantId })).key
    const signIn = await go('/console/sign-in')
    const signedIn = await go('/console/sign-in', { _csrf: csrfOf(signIn.html), key, next: '/console' })
    expect(signedIn.status).toBe(303)
  })
  afterAll(async () => {
    await basware?.close()
    await misa?.close()
    await t?.drop()
  })

  it("a wrong MISA access code shows MISA's exact error and saves nothing; the right one connects", async () => {
    const config = misa.connectionConfig()
    // What MISA itself answers to this access code (the system's words, not ours).
    const refused = await api('POST', '/v1/connections?check=true', {
      name: 'probe',
      connector: 'misa',
      config: { ...config, accessCode: 'not-the-code' },
    })
    expect(refused.status).toBe(422)
    expect(refused.json.type).toMatch(/check-failed/)
    expect(await connectionRows()).toEqual([])

    const wrong = await submitSetup('misa', { ...config, accessCode: 'not-the-code' })
    expect(wrong.status).toBe(422)
    expect(textOf(wrong.html)).toContain(textOf(refused.json.detail))
    expect(wrong.html).toContain('role="alert"')
    expect(wrong.html).not.toContain('not-the-code')
    expect(await connectionRows()).toEqual([])

    const right = await submitSetup('misa', config)
    expect(right.status).toBe(303)
    expect(await connectionRows()).toEqual([{ connector: 'misa', status: 'ok' }])
  })

  it('a changed Basware secret that Basware refuses leaves the working settings in place', async () => {
    const config = basware.connectionConfig()
    expect((await submitSetup('basware', config)).status).toBe(303)
    const [saved] = (await api('GET', '/v1/connections')).json.items.filter(
      (x: { connector: string }) => x.connector === 'basware',
    )
    expect(saved.status).toBe('ok')

    const wrong = await submitSetup('basware', { ...config, clientSecret: 'not-the-secret' })
    expect(wrong.status).toBe(422)
    expect(textOf(wrong.html)).toContain('refused the connection')
    // Nothing was saved: the stored secret still works.
    const check = await api('POST', `/v1/connections/${saved.id}/check`)
    expect(check.json).toMatchObject({ ok: true })
  })

  it('a failing card says since when (tenant time zone) and keeps the last success', async () => {
    const [connection] = (await api('GET', '/v1/connections')).json.items.filter(
      (x: { connector: string }) => x.connector === 'basware',
    )
    const okAt = (await api('GET', `/v1/connections/${connection.id}`)).json.lastSuccessAt
    expect(okAt).toEqual(expect.any(String))

    // Basware goes down: the next checks fail; "failing since" is the first failure, not the last.
    await basware.fetch(
      new Request(`${BASWARE}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 503, times: 1000 }),
      }),
    )
    expect((await api('POST', `/v1/connections/${connection.id}/check`)).json.ok).toBe(false)
    const first = (await api('GET', `/v1/connections/${connection.id}`)).json
    expect(first.status).toBe('error')
    expect(first.lastSuccessAt).toBe(okAt)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await api('POST', `/v1/connections/${connection.id}/check`)).json.ok).toBe(false)
    const again = (await api('GET', `/v1/connections/${connection.id}`)).json
    expect(again.statusSince).toBe(first.statusSince)

    const page = textOf((await go('/console/integrations')).html)
    expect(page).toContain(`Failing since ${formatDate('en', ZONE, first.statusSince)}`)
    expect(page).toContain(`Last success ${formatDate('en', ZONE, okAt)}`)

    await basware.fetch(new Request(`${BASWARE}/__sandbox/faults`, { method: 'DELETE' }))
    expect((await api('POST', `/v1/connections/${connection.id}/check`)).json.ok).toBe(true)
    const back = (await api('GET', `/v1/connections/${connection.id}`)).json
    expect(back.status).toBe('ok')
    expect(Date.parse(back.lastSuccessAt)).toBeGreaterThan(Date.parse(okAt))
    expect(textOf((await go('/console/integrations')).html)).toContain(
      `Working since ${formatDate('en', ZONE, back.statusSince)}`,
    )
  })

  it('counts a record a flow bound to the connection delivered as a success (shadow records do not)', async () => {
    const [connection] = (await api('GET', '/v1/connections')).json.items.filter(
      (x: { connector: string }) => x.connector === 'basware',
    )
    const flow = await t.db
      .insertInto('flows')
      .values({ tenantId, name: 'invoices', currentVersion: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.db
      .insertInto('flowVersions')
      .values({
        flowId: flow.id,
        version: 1,
        manifest: JSON.stringify({}),
        sourceFile: 'invoices.flow.yaml',
        sourceHash: 'x',
        bindings: JSON.stringify({ basware: connection.id }),
      })
      .execute()
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000)
    const record = (key: string, updatedAt: Date, shadow: boolean) => ({
      id: crypto.randomUUID(),
      tenantId,
      flowId: flow.id,
      flowVersion: 1,
      sourceKey: key,
      sourceVersion: '1',
      state: 'delivered',
      source: JSON.stringify({}),
      shadow,
      updatedAt,
    })
    const liveAt = later(5)
    await t.db
      .insertInto('records')
      .values([record('live', liveAt, false), record('shadow', later(10), true)])
      .execute()
    const seen = (await api('GET', '/v1/connections')).json.items.find(
      (x: { id: string }) => x.id === connection.id,
    )
    expect(seen.lastSuccessAt).toBe(liveAt.toISOString())
  })
})

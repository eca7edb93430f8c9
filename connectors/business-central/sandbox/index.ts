/**
 * The Business Central sandbox: a faithful, in-memory emulator of BC online's API v2.0 and of the
 * Entra token endpoint it needs, served under the path of `options.baseUrl`:
 *
 * - `{base}/{tenant}/oauth2/v2.0/token|authorize`: Entra (client credentials, code + PKCE with a
 *   sign-in and consent page, refresh);
 * - `{base}/environments/v1.1`: the environments the signed-in principal can reach;
 * - `{base}/v2.0/{tenant}/{environment}/api/v2.0/…`: the API;
 * - `{base}/__sandbox/…`: the control API (see README).
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Sandbox, SandboxOptions } from '../../../core/connector/sandbox.ts'
import { EntraEmulator } from './auth/entra-emulator.ts'
import { controlApi } from './control/control-api.ts'
import { produce } from './control/produce.ts'
import { mainCompanyId, seed } from './control/seed.ts'
import { serveApi } from './protocol/api-gateway.ts'
import { RateLimiter } from './protocol/rate-limiter.ts'
import { defaultSettings, emptyStats, noFaults, type SandboxState } from './state/sandbox-state.ts'
import { Subscriptions } from './webhooks/subscriptions.ts'
import { WebhookNotifier } from './webhooks/webhook-notifier.ts'

/** The tenant the sandbox emulates. */
export const sandboxTenantId = '7c1e0b3a-5d2f-4e8a-9b61-2f4c8d9e0a17'
/** The app registration the default connection uses. */
export const sandboxClientId = 'b5d0e2f4-6a81-4c3e-9f27-1d8b4a6c0e93'

/** Starts a BC sandbox. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const base = new URL(options.baseUrl)
  const basePath = base.pathname.replace(/\/$/, '')
  const root = `${base.origin}${basePath}`
  const outbound = options.fetch ?? globalThis.fetch
  const clientSecret = `sbx-${randomBytes(18).toString('base64url')}`
  const state: SandboxState = {
    tenantId: sandboxTenantId,
    environments: ['Production', 'Sandbox'],
    companies: new Map(),
    apps: new Map([
      [sandboxClientId, { clientId: sandboxClientId, clientSecret, registeredInBc: true, consented: true }],
    ]),
    settings: defaultSettings(),
    faults: noFaults(),
    stats: emptyStats(),
    now: options.now ?? (() => new Date()),
    lastStamp: 0,
    onChange: () => {},
  }
  const entra = new EntraEmulator(state)
  const limiter = new RateLimiter(() => state.now().getTime())
  const subscriptions = new Subscriptions(state, outbound)
  const notifier = new WebhookNotifier(state, subscriptions, outbound)
  state.onChange = (company, set, entity, change) => notifier.record(company, set, entity, change)
  const seedMode = options.seed ?? 'demo'
  seed(state, seedMode)

  const app = basePath ? new Hono().basePath(basePath) : new Hono()
  app.route('/__sandbox', controlApi({ state, entra, limiter, subscriptions, notifier, seedMode }))
  app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    const form = new URLSearchParams(await c.req.text())
    return entra.token(c.req.param('tenant'), form, c.req.header('authorization') ?? null)
  })
  app.get('/:tenant/oauth2/v2.0/authorize', (c) => {
    const url = new URL(c.req.url)
    return entra.authorize(c.req.param('tenant'), url.searchParams, url.pathname)
  })
  app.post('/:tenant/oauth2/v2.0/authorize', async (c) =>
    entra.authorize(c.req.param('tenant'), new URLSearchParams(await c.req.text())),
  )
  // BC's environment list for the signed-in principal (what a consenting user picks from).
  app.get('/environments/v1.1', (c) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    const principal = token ? entra.principalOf(token) : undefined
    if (!principal)
      return c.json(
        { error: { code: 'Unauthorized', message: 'The credentials provided are incorrect' } },
        401,
      )
    return c.json({
      value: state.environments.map((name) => ({
        aadTenantId: state.tenantId,
        applicationFamily: 'BusinessCentral',
        type: name === 'Production' ? 'Production' : 'Sandbox',
        name,
        countryCode: 'VN',
      })),
    })
  })
  app.all('/v2.0/*', (c) => {
    const path = new URL(c.req.url).pathname.slice(basePath.length + '/v2.0/'.length)
    return serveApi({ state, entra, limiter, subscriptions, root }, c.req.raw, path)
  })

  return {
    fetch: async (request) => app.fetch(request),
    connectionConfig: () => ({
      tenantId: sandboxTenantId,
      environment: 'Production',
      company: mainCompanyId,
      clientId: sandboxClientId,
      clientSecret,
      baseUrl: root,
      authorityUrl: root,
    }),
    produce: async (count) => produce(state, state.companies.get(mainCompanyId)!, count),
    close: async () => notifier.close(),
  }
}

import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { mountConsole } from '../../runtime/console/mount-console.ts'
import { signInLinkFor } from '../../runtime/console/sign-in-link.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { startService } from '../../runtime/main/start-service.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey, setTenantTimeZone } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase } from '../support/test-database.ts'

/** The sandboxes a browser test gets, by the name of their *.localhost host. */
const SANDBOXES = { bc: 'business-central', basware: 'basware', misa: 'misa' } as const

/** One sandbox as the test sees it: where the browser reaches it, and its control API. */
export interface TestSandbox {
  /** http://<name>.localhost:<port> — Chromium resolves *.localhost to loopback itself. */
  baseUrl: string
  sandbox: Sandbox
  /** Calls the sandbox's /__sandbox control API; answers the parsed JSON. */
  control(method: string, path: string, body?: unknown): Promise<any>
}

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const port = (server as unknown as { address(): AddressInfo }).address().port
  const close = () =>
    new Promise<void>((resolve) => {
      ;(server as unknown as { closeAllConnections?(): void }).closeAllConnections?.()
      server.close(() => resolve())
    })
  return { port, close }
}

/**
 * A real Ferry service for a browser test: a cloned test database, the service with its workers,
 * the API and the console on one random loopback port (as `ferry start` serves them), and the BC,
 * Basware and MISA sandboxes each on its own port at http://<name>.localhost:<port>. Ferry reaches
 * the sandboxes in-process at those same URLs (Node does not resolve *.localhost; Chromium does), so
 * the browser and Ferry see one sandbox. A tenant and its API key are ready; it has no connection.
 */
export async function startFerry(label: string, options: { timeZone?: string } = {}) {
  const t = await createTestDatabase(label)
  const sandboxes = {} as Record<keyof typeof SANDBOXES, TestSandbox>
  const closers: (() => Promise<void>)[] = []
  for (const [name, connectorId] of Object.entries(SANDBOXES) as [keyof typeof SANDBOXES, string][]) {
    let sandbox: Sandbox | undefined
    const server = await listen((request) => sandbox!.fetch(request))
    const baseUrl = `http://${name}.localhost:${server.port}`
    sandbox = await connectors[connectorId as keyof typeof connectors].sandbox!({ baseUrl, seed: 'demo' })
    const served = sandbox
    closers.push(async () => {
      await served.close()
      await server.close()
    })
    sandboxes[name] = {
      baseUrl,
      sandbox,
      async control(method, path, body) {
        const res = await served.fetch(
          new Request(`${baseUrl}/__sandbox/${path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        )
        return res.json()
      },
    }
  }
  const fetch = sandboxFetch(Object.values(sandboxes))
  const box = createSecretBox(randomBytes(32))
  // Listen first: the service needs its public URL (webhook subscriptions, OAuth callbacks).
  let handle: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 })
  const ferry = await listen((request) => handle(request))
  const publicUrl = `http://127.0.0.1:${ferry.port}`
  const service = await startService({
    db: t.db,
    connectionString: t.connectionString,
    box,
    registry: connectors,
    log: silentLogger,
    workers: true,
    fetch,
    publicUrl,
  })
  const app = createApiApp({
    db: t.db,
    box,
    registry: connectors,
    catalog: catalogFromConnectors(connectors),
    flowControl: service.flowControl,
    reconcile: service.reconcileControl,
    log: silentLogger,
    contexts: service.engine.deps.contexts,
    boss: service.boss,
    recipes: createRecipeInstaller({ db: t.db, contexts: service.engine.deps.contexts }),
    draining: service.draining,
  })
  // The deployment's app registration for "Connect with Microsoft": the BC sandbox's own app.
  const { clientId, clientSecret, baseUrl, authorityUrl } = sandboxes.bc.sandbox.connectionConfig()
  const consentApps = { 'business-central': { clientId, clientSecret, baseUrl, authorityUrl } }
  mountConsole(app, { db: t.db, log: silentLogger, publicUrl, consentApps: () => consentApps })
  app.route('/', service.app)
  handle = app.fetch

  const tenant = await ensureTenant(t.db, label)
  if (options.timeZone) await setTenantTimeZone(t.db, tenant.id, options.timeZone)
  const { key, id: keyId } = await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })

  return {
    url: publicUrl,
    db: t.db,
    service,
    tenantId: tenant.id,
    apiKey: key,
    sandboxes,
    /** A fresh one-time sign-in link for the tenant (what the demo prints). */
    signInLink: () => signInLinkFor(t.db, { publicUrl, tenantId: tenant.id, keyId }),
    /** One API call as the tenant over HTTP; throws on an unexpected status so setup failures are loud. */
    async api(method: string, path: string, body?: unknown): Promise<any> {
      const res = await globalThis.fetch(`${publicUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const json = await res.json().catch(() => undefined)
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
      return json
    },
    async stop() {
      await ferry.close()
      await service.stop()
      for (const close of closers) await close()
      await t.drop()
    },
  }
}

/** The running service of {@link startFerry}. */
export type TestFerry = Awaited<ReturnType<typeof startFerry>>

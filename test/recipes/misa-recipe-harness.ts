import { randomBytes } from 'node:crypto'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { pollOutcomes } from '../../runtime/queue/poll-outcomes.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

/** Where the in-process service's webhook ingress "listens" for the MISA sandbox's callbacks. */
const FERRY = 'http://ferry.misa-e2e.test'
const BASE: Record<string, string> = {
  bc: 'http://bc.misa-e2e.localhost',
  misa: 'http://misa.misa-e2e.localhost',
  basware: 'http://basware.misa-e2e.localhost',
}
const CONNECTOR: Record<string, string> = { bc: 'business-central', misa: 'misa', basware: 'basware' }

/** The settled record states: nothing more happens to them without a replay. */
const SETTLED = new Set(['delivered', 'failed', 'skipped'])

/**
 * A recipe test bench on real PostgreSQL: the sandboxes of the given roles in-process, the service
 * with its workers, and the API a tenant uses (recipes, mapping tables, flows, records). MISA's
 * callbacks reach the service's webhook ingress, so outcomes arrive as they would in production.
 */
export async function startMisaRecipeBench(label: string, roles: readonly ('bc' | 'misa' | 'basware')[]) {
  const t = await createTestDatabase(label)
  const box = createSecretBox(randomBytes(32))
  let service: Service | undefined
  // The MISA sandbox calls back over "HTTP"; the service's ingress answers in-process.
  const toFerry: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    if (!request.url.startsWith(FERRY)) throw new Error(`unexpected call to ${request.url}`)
    return service!.app.fetch(new Request(request.url.replace(FERRY, 'http://localhost'), request))
  }
  const sandboxes: Record<string, Sandbox> = {}
  for (const role of roles)
    sandboxes[role] = await testRegistry[CONNECTOR[role]!]!.sandbox!({
      baseUrl: BASE[role]!,
      seed: 'demo',
      fetch: toFerry,
    })
  const fetch = sandboxFetch(roles.map((role) => ({ baseUrl: BASE[role]!, sandbox: sandboxes[role]! })))
  service = await startService({
    db: t.db,
    connectionString: t.connectionString,
    box,
    registry: testRegistry,
    log: silentLogger,
    workers: true,
    fetch,
    role: label,
  })
  const app = createApiApp({
    db: t.db,
    box,
    registry: testRegistry,
    catalog: catalogFromConnectors(testRegistry),
    flowControl: service.flowControl,
    log: silentLogger,
    contexts: service.engine.deps.contexts,
    recipes: createRecipeInstaller({ db: t.db, contexts: service.engine.deps.contexts }),
    reconcile: service.reconcileControl,
  })
  const tenant = await ensureTenant(t.db, label)
  const { key } = await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })

  /** Calls the Ferry API as the tenant; fails the test on an unexpected status. */
  async function api(method: string, path: string, body?: unknown, expected = [200, 201, 202]) {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!expected.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${text}`)
    return { status: res.status, json: text ? JSON.parse(text) : undefined }
  }

  /** Calls a sandbox's control API (`/__sandbox/…`). */
  async function control(role: string, path: string, body?: unknown): Promise<any> {
    const res = await sandboxes[role]!.fetch(
      new Request(`${BASE[role]}/__sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    const json = await res.json()
    if (!res.ok) throw new Error(`control ${role} ${path} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }

  /** Creates one connection per role through the API; MISA learns the callback URL out of band. */
  async function connect(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {}
    for (const role of roles) {
      const created = await api('POST', '/v1/connections', {
        name: role,
        connector: CONNECTOR[role],
        config: sandboxes[role]!.connectionConfig(),
      })
      ids[role] = created.json.id
    }
    if (ids.misa) await control('misa', 'callback-url', { url: `${FERRY}/hooks/${tenant.id}/${ids.misa}` })
    return ids
  }

  /** Enables a recipe through the API and returns its flows by recipe flow name. */
  async function enableRecipe(
    recipe: string,
    bindings: Record<string, string>,
    parameters?: Record<string, unknown>,
  ) {
    const { json } = await api('POST', `/v1/recipes/${recipe}/enable`, { bindings, parameters })
    return Object.fromEntries(
      (json.flows as { id: string; name: string }[]).map((f) => [f.name.replace(`${recipe}-`, ''), f.id]),
    )
  }

  /** Every record of a connection's stream, read through its connector (what the target holds). */
  async function readAll(connectionId: string, stream: string) {
    const live = await service!.engine.deps.contexts.get(connectionId)
    const records: Record<string, unknown>[] = []
    for await (const page of live.connector.streams[stream]!.read!(live.ctx, { cursor: null, query: {} }))
      records.push(...page.records)
    return records
  }

  /** The flow's records (API view) once `count` of them have settled. */
  async function settled(flowId: string, count: number, timeoutMs = 90_000) {
    return waitFor(
      `${count} settled records of flow ${flowId}`,
      async () => {
        const { json } = await api('GET', `/v1/records?flow=${flowId}&limit=500`)
        const items = json.items as { id: string; sourceKey: string; state: string; error: any }[]
        const done = items.filter((r) => SETTLED.has(r.state))
        return done.length >= count ? items : undefined
      },
      timeoutMs,
    )
  }

  /** Polls MISA for outcomes as the one-minute upkeep does, after making the waits look 10 minutes old. */
  async function pollLostOutcomes() {
    await t.db
      .updateTable('records')
      .set({ updatedAt: new Date(Date.now() - 10 * 60_000) })
      .where('state', '=', 'awaiting')
      .execute()
    return pollOutcomes(service!.engine.deps)
  }

  return {
    t,
    tenantId: tenant.id,
    api,
    control,
    connect,
    enableRecipe,
    readAll,
    settled,
    pollLostOutcomes,
    async stop() {
      await service!.stop()
      for (const s of Object.values(sandboxes)) await s.close()
      await t.drop()
    },
  }
}

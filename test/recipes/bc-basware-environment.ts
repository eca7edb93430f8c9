import { randomBytes } from 'node:crypto'
import { connectors } from '../../connectors/index.ts'
import type { Connector, ConnectorLimits } from '../../core/connector/connector.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { SETTLED_STATES } from '../../core/record/record-state.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { startService } from '../../runtime/main/start-service.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { listMappingRows, saveMappingRows } from '../../runtime/store/mapping-rows-store.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const SETTLED: readonly string[] = SETTLED_STATES

/** Calls a sandbox's control API in-process; answers the parsed JSON. */
function controlOf(sandbox: Sandbox, baseUrl: string) {
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await sandbox.fetch(
      new Request(`${baseUrl}/__sandbox/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    return res.json()
  }
}

/**
 * A tenant that enabled the bc-basware recipe the way a user does: connections and the recipe
 * through the API, the proposed mapping tables confirmed, the service with its workers running
 * against the BC and Basware sandboxes (in-process transport) on a cloned test database.
 */
export async function startBcBaswareTenant(
  label: string,
  options: {
    limitsFor?: (connector: Connector) => ConnectorLimits | undefined
    /** `empty`: Basware starts with no invoices (the test seeds its own). */
    baswareSeed?: 'demo' | 'empty'
  } = {},
) {
  const t = await createTestDatabase(label)
  const bcUrl = 'http://sandbox.localhost/bc'
  const bwUrl = 'http://sandbox.localhost/basware'
  const bcSandbox = await connectors['business-central'].sandbox!({ baseUrl: bcUrl, seed: 'demo' })
  const bwSandbox = await connectors.basware.sandbox!({ baseUrl: bwUrl, seed: options.baswareSeed ?? 'demo' })
  const fetch = sandboxFetch([
    { baseUrl: bcUrl, sandbox: bcSandbox },
    { baseUrl: bwUrl, sandbox: bwSandbox },
  ])
  const box = createSecretBox(randomBytes(32))
  const service = await startService({
    db: t.db,
    connectionString: t.connectionString,
    box,
    registry: connectors,
    log: silentLogger,
    workers: true,
    fetch,
    limitsFor: options.limitsFor,
  })
  const app = createApiApp({
    db: t.db,
    box,
    registry: connectors,
    catalog: catalogFromConnectors(connectors),
    flowControl: service.flowControl,
    log: silentLogger,
    contexts: service.engine.deps.contexts,
    recipes: createRecipeInstaller({ db: t.db, contexts: service.engine.deps.contexts }),
  })
  const tenant = await ensureTenant(t.db, label)
  const { key } = await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })

  /** One API call as the tenant; throws on an unexpected status so setup failures are loud. */
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json().catch(() => undefined)
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }

  const bindings: Record<string, string> = {}
  for (const [role, connector, sandbox] of [
    ['bc', 'business-central', bcSandbox],
    ['basware', 'basware', bwSandbox],
  ] as const) {
    const created = await api('POST', '/v1/connections', {
      name: role,
      connector,
      config: sandbox.connectionConfig(),
    })
    bindings[role] = created.id
  }
  const enabled = await api('POST', '/v1/recipes/bc-basware/enable', { bindings })
  const flows = new Map<string, string>(
    (enabled.flows as { id: string; name: string }[]).map((f) => [f.name.replace(/^bc-basware-/, ''), f.id]),
  )
  // The tenant confirms the proposed rows unchanged (the demo does the same).
  for (const table of ['basware-cost-centre-to-bc-department', 'basware-tax-code-to-bc-tax-group']) {
    const rows = await listMappingRows(t.db, tenant.id, table)
    await saveMappingRows(
      t.db,
      tenant.id,
      table,
      rows.map((r) => ({ key: r.key, value: r.value, status: 'confirmed' as const, reason: r.reason })),
    )
  }

  const flowId = (name: string) => {
    const id = flows.get(name)
    if (!id) throw new Error(`the recipe has no flow ${name}; it has ${[...flows.keys()].join(', ')}`)
    return id
  }

  const records = (name: string) =>
    t.db
      .selectFrom('records')
      .select(['id', 'state', 'sourceKey', 'targetId', 'targetNumber', 'error', 'mapped'])
      .where('flowId', '=', flowId(name))
      .execute()

  /** Enables the flow if needed, asks for a run and waits until it finished and every record settled. */
  async function runAndSettle(name: string, timeoutMs = 240_000) {
    const id = flowId(name)
    await api('POST', `/v1/flows/${id}/enable`)
    const runs = () => t.db.selectFrom('runs').select('state').where('flowId', '=', id).execute()
    const before = (await runs()).length
    await api('POST', `/v1/flows/${id}/run`)
    await waitFor(
      `a run of ${name} to finish with every record settled`,
      async () => {
        const all = await runs()
        if (all.length <= before || all.some((r) => r.state === 'running')) return false
        return (await records(name)).every((r) => SETTLED.includes(r.state))
      },
      timeoutMs,
    )
    return records(name)
  }

  return {
    t,
    api,
    service,
    tenantId: tenant.id,
    bindings,
    flowId,
    records,
    runAndSettle,
    bc: controlOf(bcSandbox, bcUrl),
    basware: controlOf(bwSandbox, bwUrl),
    async stop() {
      await service.stop()
      await bcSandbox.close()
      await bwSandbox.close()
      await t.drop()
    },
  }
}

/** The tenant environment of {@link startBcBaswareTenant}. */
export type BcBaswareTenant = Awaited<ReturnType<typeof startBcBaswareTenant>>

import type { Connector, Logger } from '../../core/connector/connector.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { defaultRecipesDir, loadRecipes } from '../api/load-recipes.ts'
import type { RecipeInstaller } from '../api/recipe-installer.ts'
import { signInLinkFor } from '../console/sign-in-link.ts'
import type { Service } from '../main/start-service.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { replaceNamedApiKey } from '../store/api-keys-queries.ts'
import { saveConnection } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'
import { confirmProposedRows } from '../store/mapping-rows-store.ts'
import { recordIdsMatching } from '../store/records-queries.ts'
import { ensureTenant, setTenantTimeZone } from '../store/tenants-store.ts'
import { serveSandboxes } from './serve-sandboxes.ts'

/** The recipes the demo enables, with which sandbox plays each role. */
const DEMO_RECIPES: { recipe: string; roles: Record<string, string> }[] = [
  { recipe: 'bc-basware', roles: { bc: 'business-central', basware: 'basware' } },
  { recipe: 'bc-misa', roles: { bc: 'business-central', misa: 'misa' } },
  { recipe: 'billing-bc', roles: { billing: 'billing', bc: 'business-central' } },
]

async function control(baseUrl: string, path: string, body: unknown) {
  await fetch(`${baseUrl}/__sandbox/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/**
 * The live demo of `npm start`: every connector’s sandbox on a loopback port, a `demo` tenant with
 * connections to them, the bc-basware, bc-misa and billing-bc recipes enabled with their mapping
 * tables confirmed, and sandboxes that keep producing invoices (the billing system pushes its own by
 * webhook, booked as BC sales invoices). Every few minutes BC's posting period
 * closes for a while, so invoices fail with BC's message; when it reopens they are replayed.
 */
export async function startDemo(options: {
  db: Db
  box: SecretBox
  service: Service
  registry: Record<string, Connector>
  installer: RecipeInstaller
  publicUrl: string
  log: Logger
  out: (line: string) => void
  /** The console's app registrations for browser consent: the demo registers the BC sandbox's. */
  consentApps?: Record<string, Record<string, unknown>>
}) {
  const { db, box, service, out } = options
  const sandboxes = await serveSandboxes(options.registry)
  const tenant = await ensureTenant(db, 'demo')
  // One live demo key: each start replaces the previous one (printed below and saved in cli.json).
  const { key, id: keyId } = await replaceNamedApiKey(db, tenant.id, 'demo')
  // The seeds' finance team works in Vietnam: the console shows its dates in Vietnam's time.
  await setTenantTimeZone(db, tenant.id, 'Asia/Ho_Chi_Minh')
  const connectionIds: Record<string, string> = {}
  for (const s of sandboxes) {
    const connector = options.registry[s.connectorId]!
    const saved = await saveConnection(db, box, {
      tenantId: tenant.id,
      name: s.connectorId,
      connector: s.connectorId,
      config: s.sandbox.connectionConfig(),
      schema: connector.configSchema,
    })
    connectionIds[s.connectorId] = saved.id
    service.engine.deps.contexts.invalidate(saved.id)
    if (connector.outcomes)
      await control(s.baseUrl, 'callback-url', { url: `${options.publicUrl}/hooks/${tenant.id}/${saved.id}` })
  }
  // The billing system pushes its invoices: register Ferry's hook endpoint (it verifies it at once).
  const billing = sandboxes.find((s) => s.connectorId === 'billing')
  if (billing && connectionIds.billing)
    await control(billing.baseUrl, 'webhooks', {
      url: `${options.publicUrl}/hooks/${tenant.id}/${connectionIds.billing}`,
      secret: billing.sandbox.connectionConfig().webhookSecret,
    })
  const recipes = loadRecipes(defaultRecipesDir, catalogFromConnectors(options.registry), options.log)
  const flowIds: string[] = []
  for (const demo of DEMO_RECIPES) {
    const recipe = recipes.find((r) => r.name === demo.recipe)
    if (!recipe) continue
    const bindings = Object.fromEntries(
      Object.entries(demo.roles).map(([role, connectorId]) => [role, connectionIds[connectorId]!]),
    )
    const { flows } = await options.installer.enable(tenant.id, recipe, { bindings, parameters: {} })
    for (const table of Object.keys(recipe.manifest.mappingTables ?? {}))
      await confirmProposedRows(db, tenant.id, table)
    flowIds.push(...flows.map((f) => f.id))
  }
  for (const id of flowIds) {
    await service.flowControl.enable(tenant.id, id)
    await service.flowControl.runNow(tenant.id, id)
  }

  const bc = sandboxes.find((s) => s.connectorId === 'business-central')
  if (bc && options.consentApps && !options.consentApps['business-central']) {
    const { clientId, clientSecret, baseUrl, authorityUrl } = bc.sandbox.connectionConfig()
    options.consentApps['business-central'] = { clientId, clientSecret, baseUrl, authorityUrl }
  }
  let tick = 0
  const timer = setInterval(async () => {
    tick++
    try {
      for (const s of sandboxes)
        if (s.connectorId !== 'misa') await s.sandbox.produce?.(s.connectorId === 'basware' ? 3 : 1)
      if (bc && tick % 24 === 12) {
        await control(bc.baseUrl, 'faults', { closedBefore: '2100-01-01' })
        out('demo: BC closed its posting period — new invoices will fail with BC’s message')
      }
      if (bc && tick % 24 === 18) {
        await control(bc.baseUrl, 'faults', {})
        const failed = await recordIdsMatching(db, tenant.id, { state: 'failed' }, 10_000)
        const replay = await service.flowControl.replay(tenant.id, failed, { version: 'latest' })
        out(`demo: BC reopened the period; replayed ${replay.queued} failed records`)
      }
    } catch (error) {
      options.log.warn('demo producer', { error: String(error) })
    }
  }, 5_000)

  const signInLink = await signInLinkFor(db, { publicUrl: options.publicUrl, tenantId: tenant.id, keyId })
  out('')
  out(`Console: ${options.publicUrl}/console`)
  out(`  sign in once with this link (works once, for 15 minutes): ${signInLink}`)
  out(`  or sign in with the demo tenant's API key below`)
  out(`Demo tenant "demo" — API key: ${key}`)
  for (const s of sandboxes)
    out(`  sandbox ${s.connectorId.padEnd(17)} ${s.baseUrl}  (control API: ${s.baseUrl}/__sandbox/…)`)
  out(`Look at it:`)
  out(`  curl -s -H "Authorization: Bearer ${key}" ${options.publicUrl}/v1/flows`)
  out(`  curl -s -H "Authorization: Bearer ${key}" "${options.publicUrl}/v1/records?state=failed"`)
  out(`  curl -s ${options.publicUrl}/metrics -H "Authorization: Bearer ${key}"`)
  return {
    tenantId: tenant.id,
    apiKey: key,
    async stop() {
      clearInterval(timer)
      for (const s of sandboxes) await s.close()
    },
  }
}

import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { defaultRecipesDir, loadRecipes } from '../../runtime/api/load-recipes.ts'
import type { ConnectionContexts } from '../../runtime/engine/connection-contexts.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import type { SecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import type { Db } from '../../runtime/store/database.ts'
import { listMappingRows, saveMappingRows } from '../../runtime/store/mapping-rows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'

type RecipeFlow = ReturnType<typeof loadRecipes>[number]['flows'][number]

/**
 * A tenant with one connection per recipe role (to the given sandboxes) and some of a shipped recipe's
 * flows installed by the recipe installer, every proposed mapping row confirmed. Returns the flow ids by name.
 */
export async function installRecipeFlows(options: {
  db: Db
  box: SecretBox
  contexts: ConnectionContexts
  tenant: string
  recipe: string
  /** Recipe role → connector id and the sandbox serving it. */
  connections: Record<string, { connector: keyof typeof connectors; sandbox: Sandbox }>
  /** Which flows to install, optionally changed (default: all, as shipped). */
  flows?: (flow: RecipeFlow) => RecipeFlow | undefined
}): Promise<{ tenantId: string; flowIds: Record<string, string> }> {
  const { db, box } = options
  const tenantId = (await ensureTenant(db, options.tenant)).id
  const bindings: Record<string, string> = {}
  for (const [role, { connector, sandbox }] of Object.entries(options.connections)) {
    bindings[role] = (
      await saveConnection(db, box, {
        tenantId,
        name: role,
        connector,
        config: sandbox.connectionConfig(),
        schema: connectors[connector].configSchema,
      })
    ).id
  }
  const recipe = loadRecipes(defaultRecipesDir, catalogFromConnectors(connectors), silentLogger).find(
    (r) => r.name === options.recipe,
  )
  if (!recipe) throw new Error(`no shipped recipe ${options.recipe}`)
  const pick = options.flows ?? ((f: RecipeFlow) => f)
  const chosen = { ...recipe, flows: recipe.flows.flatMap((f) => pick(f) ?? []) }
  const { flows } = await createRecipeInstaller({ db, contexts: options.contexts }).enable(tenantId, chosen, {
    bindings,
    parameters: {},
  })
  for (const table of Object.keys(recipe.manifest.mappingTables ?? {})) {
    const rows = await listMappingRows(db, tenantId, table)
    await saveMappingRows(
      db,
      tenantId,
      table,
      rows.map((r) => ({ key: r.key, value: r.value, status: 'confirmed' as const })),
    )
  }
  return { tenantId, flowIds: Object.fromEntries(chosen.flows.map((f, i) => [f.name, flows[i]!.id])) }
}

/**
 * Whether every record of a flow has settled and at least `expected` source keys were delivered or
 * failed. A document re-read after its transfer is a new version the flow's `when` skips: settled too.
 */
export async function flowSettled(db: Db, flowId: string, expected: number): Promise<boolean> {
  const rows = await db
    .selectFrom('records')
    .select(['state', 'sourceKey'])
    .where('flowId', '=', flowId)
    .execute()
  const done = new Set(
    rows.filter((r) => r.state === 'delivered' || r.state === 'failed').map((r) => r.sourceKey),
  )
  return (
    done.size >= expected &&
    rows.every((r) => r.state === 'delivered' || r.state === 'failed' || r.state === 'skipped')
  )
}

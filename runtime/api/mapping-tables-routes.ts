import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import { switchedOn } from '../engine/deliver/create-missing-step.ts'
import { proposeMappingTable, readMappingSide } from '../recipes/propose-mapping-table.ts'
import { type FlowRow, getFlowVersion, listFlows, recipeBindings } from '../store/flows-store.ts'
import {
  confirmMappingRow,
  confirmProposedRows,
  countMappingRows,
  listMappingRowViews,
  saveProposedRows,
} from '../store/mapping-rows-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { defaultRecipesDir, loadRecipes } from './load-recipes.ts'
import { ApiProblem, notFound } from './problem.ts'
import type { LoadedRecipe } from './recipe-installer.ts'

/** A mapping table as the tenant sees it: where it comes from and how far its review is. */
interface TableView {
  name: string
  recipe: string | null
  description: string | null
  counts: { confirmed: number; proposed: number; open: number }
  /** Whether a record missing a row has its master created (a flow's `createMissing`), through which flow. */
  createsMissing: { through: string; enabled: boolean } | null
}

/**
 * Tenant routes: the mapping tables of the recipes the tenant enabled, their rows (Ferry's proposal
 * beside the tenant's confirmed value), confirming or overriding one row, and confirming every
 * proposal at once. Records only ever use confirmed rows.
 */
export function mappingTablesRoutes(deps: ApiDeps, contexts: ConnectionContexts): ApiRoute[] {
  let recipes: LoadedRecipe[] | undefined
  const all = () => (recipes ??= loadRecipes(deps.recipesDir ?? defaultRecipesDir, deps.catalog, deps.log))

  // A tenant's tables: those declared by recipes it has flows of, and any it has rows in.
  async function tables(tenantId: string): Promise<TableView[]> {
    const flows = await listFlows(deps.db, tenantId)
    const enabled = new Set(flows.map((f) => f.recipe).filter(Boolean))
    const creates = await createsMissing(flows.filter((f) => f.recipe !== null))
    const counts = await countMappingRows(deps.db, tenantId)
    const views = new Map<string, TableView>()
    for (const recipe of all().filter((r) => enabled.has(r.name)))
      for (const [name, table] of Object.entries(recipe.manifest.mappingTables ?? {}))
        views.set(name, {
          name,
          recipe: recipe.name,
          description: table.description,
          counts: { confirmed: 0, proposed: 0, open: 0 },
          createsMissing: creates.get(name) ?? null,
        })
    for (const [name, c] of counts)
      views.set(name, {
        recipe: null,
        description: null,
        createsMissing: creates.get(name) ?? null,
        ...views.get(name),
        name,
        counts: c,
      })
    return [...views.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  // Tables a recipe flow's lookup creates missing masters for, from the flows' current versions.
  async function createsMissing(flows: readonly FlowRow[]) {
    const found = new Map<string, { through: string; enabled: boolean }>()
    for (const flow of flows) {
      const version = await getFlowVersion(deps.db, flow.id, flow.currentVersion)
      const manifest = version?.manifest as FlowManifest | undefined
      for (const spec of Object.values(manifest?.lookups ?? {}))
        if ('table' in spec && spec.createMissing)
          found.set(spec.table, {
            through: spec.createMissing.through,
            enabled: switchedOn(manifest!, spec.createMissing),
          })
    }
    return found
  }

  async function table(tenantId: string, name: string): Promise<TableView> {
    const found = (await tables(tenantId)).find((t) => t.name === name)
    if (!found) throw notFound('mapping table', name)
    return found
  }

  /** The table's declaration in its recipe and the connections bound to the recipe's roles. */
  async function declared(tenantId: string, name: string) {
    const found = await table(tenantId, name)
    const spec = found.recipe
      ? all().find((r) => r.name === found.recipe)?.manifest.mappingTables?.[found.name]
      : undefined
    if (!spec || !found.recipe)
      throw new ApiProblem(409, 'no-recipe', `mapping table ${name} belongs to no enabled recipe`)
    return { found, spec, bindings: await recipeBindings(deps.db, tenantId, found.recipe) }
  }

  return [
    {
      method: 'get',
      path: '/v1/mapping-tables',
      operationId: 'listMappingTables',
      summary: 'List the mapping tables of the enabled recipes, with confirmed, proposed and open rows',
      tag: 'mapping-tables',
      access: 'tenant',
      responses: { 200: { description: 'Tables by name', schema: 'MappingTableList' } },
      handle: async (c, { tenantId }) => c.json({ items: await tables(tenantId) }),
    },
    {
      method: 'get',
      path: '/v1/mapping-tables/:table/rows',
      operationId: 'listMappingRows',
      summary: 'List a table’s rows: the proposal and why, and the confirmed value',
      tag: 'mapping-tables',
      access: 'tenant',
      params: { table: 'The mapping table name' },
      responses: { 200: { description: 'Rows by key', schema: 'MappingRowList' } },
      handle: async (c, { tenantId, params }) => {
        const found = await table(tenantId, params.table!)
        return c.json({ table: found, items: await listMappingRowViews(deps.db, tenantId, found.name) })
      },
    },
    {
      method: 'put',
      path: '/v1/mapping-tables/:table/rows/:key',
      operationId: 'confirmMappingRow',
      summary: 'Confirm a row with the proposed value or override it; adds the row when the key is new',
      tag: 'mapping-tables',
      access: 'tenant',
      params: { table: 'The mapping table name', key: 'The source-side key (URL-encoded)' },
      body: 'MappingRowConfirm',
      responses: { 200: { description: 'The row as stored', schema: 'MappingRow' } },
      handle: async (c, { tenantId, params, body }) => {
        const found = await table(tenantId, params.table!)
        const key = params.key!
        await confirmMappingRow(deps.db, tenantId, found.name, key, (body as { value: unknown }).value)
        const rows = await listMappingRowViews(deps.db, tenantId, found.name)
        return c.json(rows.find((r) => r.key === key))
      },
    },
    {
      method: 'get',
      path: '/v1/mapping-tables/:table/values',
      operationId: 'listMappingTargetValues',
      summary: 'The target system’s values a row may map to, read now (for a searchable picker)',
      tag: 'mapping-tables',
      access: 'tenant',
      params: { table: 'The mapping table name' },
      responses: { 200: { description: 'Values by key', schema: 'MappingTargetValues' } },
      handle: async (c, { tenantId, params }) => {
        const { spec, bindings } = await declared(tenantId, params.table!)
        const values = await readMappingSide(contexts, bindings[spec.to.role]!, spec.to)
        return c.json({
          items: values
            .map((v) => ({ value: v.key, label: v.label }))
            .sort((a, b) => a.value.localeCompare(b.value)),
        })
      },
    },
    {
      method: 'post',
      path: '/v1/mapping-tables/:table/resync',
      operationId: 'resyncMappingTable',
      summary: 'Re-read both systems’ masters and propose again; confirmed rows keep their values',
      tag: 'mapping-tables',
      access: 'tenant',
      params: { table: 'The mapping table name' },
      responses: {
        200: { description: 'The table’s counts after the new proposal', schema: 'MappingTable' },
      },
      handle: async (c, { tenantId, params }) => {
        const { found, spec, bindings } = await declared(tenantId, params.table!)
        await saveProposedRows(
          deps.db,
          tenantId,
          found.name,
          await proposeMappingTable(contexts, spec, bindings),
        )
        return c.json(await table(tenantId, found.name))
      },
    },
    {
      method: 'post',
      path: '/v1/mapping-tables/:table/confirm',
      operationId: 'confirmMappingTable',
      summary: 'Confirm every proposed row that has a value; unmatched and ambiguous rows stay open',
      tag: 'mapping-tables',
      access: 'tenant',
      params: { table: 'The mapping table name' },
      responses: { 200: { description: 'How many rows were confirmed', schema: 'MappingTableConfirmed' } },
      handle: async (c, { tenantId, params }) => {
        const found = await table(tenantId, params.table!)
        const confirmed = await confirmProposedRows(deps.db, tenantId, found.name)
        return c.json({ confirmed, table: (await table(tenantId, found.name)).counts })
      },
    },
  ]
}

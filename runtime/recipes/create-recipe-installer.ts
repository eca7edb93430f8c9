import type { RecipeInstaller } from '../api/recipe-installer.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import { toStoredManifest } from '../engine/stored-manifest.ts'
import type { Db } from '../store/database.ts'
import { saveFlowVersion } from '../store/flows-store.ts'
import { saveMappingRows } from '../store/mapping-rows-store.ts'
import { proposeMappingTable } from './propose-mapping-table.ts'

/**
 * Enables a recipe for a tenant: one flow version per recipe flow (named `<recipe>-<flow>`, bound
 * to the tenant's connections, the tenant's parameters written into each flow's `params` lookup),
 * and a proposal for every mapping table from both systems' master data. The caller enables the
 * flows once the tenant has confirmed the tables.
 */
export function createRecipeInstaller(deps: { db: Db; contexts: ConnectionContexts }): RecipeInstaller & {
  proposals: Map<string, { proposed: number; unmatched: string[] }>
} {
  const proposals = new Map<string, { proposed: number; unmatched: string[] }>()
  return {
    proposals,
    async enable(tenantId, recipe, input) {
      const defaults = Object.fromEntries(
        Object.entries(recipe.manifest.parameters ?? {}).map(([name, p]) => [
          name,
          (p as { default?: unknown }).default,
        ]),
      )
      const parameters = { ...defaults, ...input.parameters }
      const flows = []
      for (const flow of recipe.flows) {
        const stored = toStoredManifest(flow)
        const params = stored.lookups?.params
        if (params && 'values' in params) params.values = { ...params.values, ...parameters }
        const bindings = Object.fromEntries(
          Object.keys(flow.connections).map((alias) => [alias, input.bindings[alias]!]),
        )
        const saved = await saveFlowVersion(deps.db, {
          tenantId,
          name: `${recipe.name}-${flow.name}`,
          manifest: stored as never,
          sourceFile: flow.map.file,
          bindings,
          recipe: recipe.name,
        })
        flows.push(saved.flow)
      }
      for (const [name, table] of Object.entries(recipe.manifest.mappingTables ?? {})) {
        const { rows, unmatched } = await proposeMappingTable(deps.contexts, table, input.bindings)
        await saveMappingRows(deps.db, tenantId, name, rows)
        proposals.set(`${tenantId}|${name}`, { proposed: rows.length, unmatched })
      }
      return { flows }
    },
  }
}

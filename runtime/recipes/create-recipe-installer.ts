import type { RecipeInstaller } from '../api/recipe-installer.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import { toStoredManifest } from '../engine/stored-manifest.ts'
import type { Db } from '../store/database.ts'
import { saveFlowVersion } from '../store/flows-store.ts'
import { saveProposedRows } from '../store/mapping-rows-store.ts'
import { proposeMappingTable } from './propose-mapping-table.ts'
import { resolveRecipeParameters } from './resolve-recipe-parameters.ts'

/**
 * Enables a recipe for a tenant: one flow version per recipe flow (named `<recipe>-<flow>`, bound
 * to the tenant's connections, the tenant's parameters written into each flow's `params` lookup),
 * and a proposal for every mapping table from both systems' master data. The flows are created
 * disabled; records read only confirmed rows, so nothing moves on a proposal the tenant has not confirmed.
 *
 * The recipe is shared by every tenant of the process: each install works on its own deep copy, and
 * only the recipe's declared parameters, of their declared types, reach the copy.
 */
export function createRecipeInstaller(deps: { db: Db; contexts: ConnectionContexts }): RecipeInstaller {
  return {
    async enable(tenantId, recipe, input) {
      const { values, problems } = resolveRecipeParameters(recipe.manifest.parameters ?? {}, input.parameters)
      if (problems.length > 0)
        throw new Error(
          `recipe ${recipe.name}: ${problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}`,
        )
      const flows = []
      for (const flow of recipe.flows) {
        const stored = structuredClone(toStoredManifest(flow))
        const params = stored.lookups?.params
        if (params && 'values' in params) params.values = { ...params.values, ...values }
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
        const rows = await proposeMappingTable(deps.contexts, table, input.bindings)
        await saveProposedRows(deps.db, tenantId, name, rows)
      }
      return { flows }
    },
  }
}

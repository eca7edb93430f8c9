import type { RecipeManifest } from '../../core/manifest/recipe-schema.ts'
import type { ResolvedFlowManifest } from '../../core/manifest/resolve-flow-manifest.ts'
import type { FlowRow } from '../store/flows-store.ts'

/** A recipe read from disk, already validated. */
export interface LoadedRecipe {
  name: string
  manifest: RecipeManifest
  flows: ResolvedFlowManifest[]
}

/**
 * Turns a recipe into flows of a tenant (provided by the runtime's composition root). `bindings` maps
 * each recipe role to a connection id the API has already checked belongs to the tenant and uses the
 * role's connector. Throws a Error with a user-facing message for parameters it rejects.
 */
export interface RecipeInstaller {
  enable(
    tenantId: string,
    recipe: LoadedRecipe,
    input: { bindings: Record<string, string>; parameters: Record<string, unknown> },
  ): Promise<{ flows: FlowRow[] }>
}

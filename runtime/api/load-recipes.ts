import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { ferryRoot } from '../../connectors/ferry-root.ts'
import type { Logger } from '../../core/connector/connector.ts'
import type { ConnectorCatalog } from '../../core/manifest/catalog.ts'
import { formatDiagnostic, hasErrors } from '../../core/manifest/diagnostic.ts'
import { parseRecipeManifest } from '../../core/manifest/parse-recipe-manifest.ts'
import type { ResolveFile } from '../../core/manifest/resolve-file.ts'
import type { LoadedRecipe } from './recipe-installer.ts'

const resolveFromDisk: ResolveFile = (relative, from) => {
  const file = path.join(path.dirname(from), relative)
  return existsSync(file) && statSync(file).isFile() ? { file, text: readFileSync(file, 'utf8') } : undefined
}

/** The recipes that ship with Ferry (manifests/recipes). */
export const defaultRecipesDir = path.join(ferryRoot, 'manifests', 'recipes')

/** Freezes a value and everything in it, so code that holds it can read but never change it. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue
    Object.freeze(v)
    stack.push(...Object.values(v))
  }
  return value
}

/**
 * Reads and validates every `<dir>/<name>/recipe.yaml`. A recipe with errors is left out and logged:
 * it ships with the build, so an error there is a build bug, not the caller's. The recipes are
 * deeply frozen: one process serves every tenant from them, so an install that changed one in place
 * would hand its values to the next tenant (issue 13, finding 1); now it throws instead.
 */
export function loadRecipes(dir: string, catalog: ConnectorCatalog, log: Logger): LoadedRecipe[] {
  if (!existsSync(dir)) return []
  const recipes: LoadedRecipe[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name, 'recipe.yaml')
    if (!entry.isDirectory() || !existsSync(file)) continue
    const result = parseRecipeManifest({
      file,
      text: readFileSync(file, 'utf8'),
      catalog,
      resolveFile: resolveFromDisk,
    })
    if (!result.recipe || !result.flows || hasErrors(result.diagnostics)) {
      log.warn('recipe left out: it does not validate', {
        file,
        diagnostics: result.diagnostics.map(formatDiagnostic),
      })
      continue
    }
    recipes.push(deepFreeze({ name: result.recipe.name, manifest: result.recipe, flows: result.flows }))
  }
  return recipes.sort((a, b) => a.name.localeCompare(b.name))
}

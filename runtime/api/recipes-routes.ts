import { resolveRecipeParameters } from '../recipes/resolve-recipe-parameters.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { checkFlowBindings } from './flow-bindings.ts'
import { defaultRecipesDir, loadRecipes } from './load-recipes.ts'
import { ApiProblem, notFound } from './problem.ts'
import type { LoadedRecipe } from './recipe-installer.ts'

const recipeView = (r: LoadedRecipe) => ({
  name: r.name,
  title: r.manifest.title,
  description: r.manifest.description,
  roles: Object.fromEntries(
    Object.entries(r.manifest.connections).map(([role, spec]) => [role, spec.connector]),
  ),
  flows: r.flows.map((f) => f.name),
  moves: r.flows.map(flowMoves),
  parameters: r.manifest.parameters ?? {},
})

/** What one flow of a recipe moves, from where to where, and when (the seeds' "expected data flows"). */
function flowMoves(f: LoadedRecipe['flows'][number]) {
  const m = f as unknown as {
    name: string
    description?: string
    connections: Record<string, string>
    source: { connection: string; stream: string }
    target: { connection: string; stream: string; operation?: string }
    trigger?: { schedule?: string | { cron: string }; every?: string; webhook?: boolean }
  }
  const schedule = m.trigger?.schedule
  return {
    flow: m.name,
    description: m.description ?? null,
    from: { role: m.source.connection, stream: m.source.stream },
    to: { role: m.target.connection, stream: m.target.stream, operation: m.target.operation ?? null },
    schedule: typeof schedule === 'string' ? schedule : (schedule?.cron ?? null),
    every: m.trigger?.every ?? null,
    webhook: m.trigger?.webhook === true,
  }
}

/** Tenant routes: the prebuilt recipes of this build, and enabling one with the tenant's connections. */
export function recipesRoutes(deps: ApiDeps): ApiRoute[] {
  let recipes: LoadedRecipe[] | undefined
  // Recipes ship with the build, so they are read once, on first use.
  const all = () => (recipes ??= loadRecipes(deps.recipesDir ?? defaultRecipesDir, deps.catalog, deps.log))
  return [
    {
      method: 'get',
      path: '/v1/recipes',
      operationId: 'listRecipes',
      summary: 'List the prebuilt recipes',
      tag: 'recipes',
      access: 'tenant',
      responses: { 200: { description: 'Recipes by name', schema: 'RecipeList' } },
      handle: (c) => c.json({ items: all().map(recipeView) }),
    },
    {
      method: 'post',
      path: '/v1/recipes/:recipe/enable',
      operationId: 'enableRecipe',
      summary: 'Enable a recipe: bind each role to a connection and set its parameters',
      tag: 'recipes',
      access: 'tenant',
      params: { recipe: 'The recipe name' },
      body: 'RecipeEnable',
      responses: {
        201: { description: 'The flows created or updated', schema: 'RecipeEnabled' },
        501: { description: 'This service was started without a recipe installer', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params, body }) => {
        const recipe = all().find((r) => r.name === params.recipe)
        if (!recipe) throw notFound('recipe', params.recipe!)
        const input = body as { bindings: Record<string, string>; parameters?: Record<string, unknown> }
        const roles = recipeView(recipe).roles
        const problems = await checkFlowBindings(deps.db, tenantId, roles, input.bindings)
        if (problems.length > 0)
          throw new ApiProblem(
            422,
            'invalid-bindings',
            'the connection bindings do not fit the recipe’s roles',
            problems,
          )
        const parameters = input.parameters ?? {}
        const refused = resolveRecipeParameters(recipe.manifest.parameters ?? {}, parameters).problems
        if (refused.length > 0)
          throw new ApiProblem(
            422,
            'invalid-parameters',
            'the parameters do not fit the recipe’s declared parameters',
            refused,
          )
        if (!deps.recipes)
          throw new ApiProblem(501, 'not-implemented', 'this service was started without a recipe installer')
        const result = await deps.recipes.enable(tenantId, recipe, { bindings: input.bindings, parameters })
        return c.json(result, 201)
      },
    },
  ]
}

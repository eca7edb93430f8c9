import type { RecipeParameter } from '../../core/manifest/recipe-schema.ts'

/** The longest text a string parameter may hold (a code, a language, an account: short by nature). */
export const MAX_PARAMETER_LENGTH = 1024

/** One refused parameter, pointing into the request body (`/parameters/<name>`). */
export interface ParameterProblem {
  pointer: string
  detail: string
}

function typeProblem(spec: RecipeParameter, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string'
      if (value.length > MAX_PARAMETER_LENGTH) return `must be at most ${MAX_PARAMETER_LENGTH} characters`
      return undefined
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be a boolean'
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer'
      // Beyond this a JSON integer no longer reads back as itself.
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
        return `must be at least ${-Number.MAX_SAFE_INTEGER} and at most ${Number.MAX_SAFE_INTEGER}`
      return undefined
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number'
  }
}

/**
 * A tenant's values for a recipe's declared parameters: the declared defaults overridden by what the
 * tenant gave, each checked against its declared type. A name the recipe does not declare is refused,
 * never passed on: the values end up in the tenant's flows, so only what the recipe asks for may.
 * Text is checked for storability by the API before this runs.
 */
export function resolveRecipeParameters(
  declared: Record<string, RecipeParameter>,
  given: Record<string, unknown>,
): { values: Record<string, unknown>; problems: ParameterProblem[] } {
  const problems: ParameterProblem[] = []
  const values: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(declared))
    if (spec.default !== undefined) values[name] = spec.default
  const known = Object.keys(declared)
  for (const [name, value] of Object.entries(given)) {
    const pointer = `/parameters/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`
    const spec = Object.hasOwn(declared, name) ? declared[name] : undefined
    if (!spec) {
      problems.push({
        pointer,
        detail: `unknown parameter "${name}"; the recipe declares ${known.length > 0 ? known.join(', ') : 'none'}`,
      })
      continue
    }
    const problem = typeProblem(spec, value)
    if (problem) problems.push({ pointer, detail: `${problem} (${spec.description})` })
    else values[name] = value
  }
  return { values, problems }
}

/** The generated manifest schema files: where each goes and its exact text. */
import { connectorJsonSchema } from '../core/manifest/connector-schema.ts'
import { flowJsonSchema } from '../core/manifest/flow-schema.ts'
import { recipeJsonSchema } from '../core/manifest/recipe-schema.ts'

/** Path (relative to the repository root) → the file's content, pretty JSON with a final newline. */
export function manifestSchemaFiles(): Record<string, string> {
  return {
    'manifests/flow.schema.json': `${JSON.stringify(orderKeywords(flowJsonSchema), null, 2)}\n`,
    'manifests/recipe.schema.json': `${JSON.stringify(orderKeywords(recipeJsonSchema), null, 2)}\n`,
    'manifests/connector.schema.json': `${JSON.stringify(orderKeywords(connectorJsonSchema), null, 2)}\n`,
  }
}

const leading = ['$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'default']
const trailing = ['required', 'properties', 'propertyNames', 'additionalProperties', 'items', 'oneOf']

/**
 * Puts schema keywords in one reading order (identity and description first, structure last), so the
 * file reads well and does not change when TypeBox reorders its output. Field names keep their order.
 */
function orderKeywords(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(orderKeywords)
  if (schema === null || typeof schema !== 'object') return schema
  const entries = Object.entries(schema)
  const rank = (key: string) =>
    leading.includes(key)
      ? leading.indexOf(key) - 100
      : trailing.includes(key)
        ? trailing.indexOf(key) + 100
        : 0
  const ordered = entries.sort(([a], [b]) => rank(a) - rank(b) || (rank(a) === 0 ? a.localeCompare(b) : 0))
  return Object.fromEntries(
    ordered.map(([key, value]) => [
      key,
      key === 'properties' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, orderKeywords(sub)]))
        : key === 'default' || key === 'const' || key === 'enum'
          ? value
          : orderKeywords(value),
    ]),
  )
}

/**
 * Basware's own record shapes, extracted from its published P2P OpenAPI document (field names, types,
 * max lengths, required fields, enums). One source for the stream schemas (mapping lint) and for the
 * sandbox's request validation, so the two cannot drift.
 */
import type { JsonSchema } from '../../core/connector/connector.ts'
import extracted from './basware-schemas.json' with { type: 'json' }

/** The name of an entity schema in Basware's OpenAPI document. */
export type BaswareSchemaName = keyof typeof extracted.$defs

/** Every extracted definition, keyed by its OpenAPI name. */
export const baswareDefs = extracted.$defs as Record<BaswareSchemaName, JsonSchema>

/** A self-contained JSON Schema (2020-12) for one Basware entity. */
export function baswareSchema(name: BaswareSchemaName): JsonSchema {
  return { $ref: `#/$defs/${name}`, $defs: baswareDefs }
}

/** A Basware entity schema with extra top-level properties (e.g. the routing `listKey` of a list item). */
export function extendedBaswareSchema(
  name: BaswareSchemaName,
  extra: Record<string, JsonSchema>,
  required: string[],
): JsonSchema {
  const base = baswareDefs[name] as { properties: Record<string, JsonSchema>; required?: string[] }
  return {
    ...base,
    properties: { ...base.properties, ...extra },
    required: [...(base.required ?? []), ...required],
    $defs: baswareDefs,
  }
}

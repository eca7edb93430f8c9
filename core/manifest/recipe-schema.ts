/**
 * The recipe manifest v1 schema: a prebuilt integration a tenant enables by binding its connections
 * to the recipe's roles. Single source for validation, types and manifests/recipe.schema.json.
 */
import { type Static, Type } from '@sinclair/typebox'
import { manifestPatterns } from './manifest-patterns.ts'
import { dictionary, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

/** A connection the recipe needs; flows use the role name as their connection alias. */
export const RecipeRole = Type.Object(
  {
    connector: Type.String({ minLength: 1, description: 'A connector id.' }),
    description: Type.String({ minLength: 1, description: 'What the tenant binds here.' }),
  },
  closed,
)

/** A setting the tenant may change when enabling the recipe. */
export const RecipeParameter = Type.Object(
  {
    type: stringEnum(['string', 'number', 'integer', 'boolean']),
    title: Type.Optional(
      Type.String({ minLength: 1, description: 'What forms call it (default: its name).' }),
    ),
    description: Type.String({ minLength: 1 }),
    default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  },
  closed,
)

/** One side of a mapping table: which records of which role's stream, and their key and label. */
export const MappingTableSide = Type.Object(
  {
    role: Type.String({ minLength: 1, description: 'A role from `connections`.' }),
    stream: Type.String({ minLength: 1, description: 'A readable stream of that role’s connector.' }),
    key: Type.String({ minLength: 1, description: 'JSONata: the key, over a record of the stream.' }),
    label: Type.Optional(Type.String({ minLength: 1, description: 'JSONata: what the tenant sees.' })),
    matchOn: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'JSONata: the value the strategy compares (e.g. the MST); default: the key.',
      }),
    ),
    when: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'JSONata over a record: only records for which it is true take part (proposed, offered in the picker), e.g. `is_parent != true` for accounts that take postings.',
      }),
    ),
  },
  closed,
)

/** A table the tenant confirms (e.g. BC account → VAS account), proposed by matching both sides. */
export const MappingTable = Type.Object(
  {
    description: Type.String({ minLength: 1 }),
    from: MappingTableSide,
    to: MappingTableSide,
    match: stringEnum(['mst', 'code', 'number-and-name'], {
      description: 'How Ferry proposes pairs: by tax number (MST), by code, or by number and name.',
    }),
  },
  closed,
)

/** The recipe manifest v1. */
export const RecipeManifest = Type.Object(
  {
    version: Type.Literal(1, { description: 'Manifest format version.' }),
    name: Type.String({
      maxLength: 64,
      pattern: manifestPatterns.name.pattern,
      description: 'Recipe name (kebab-case).',
    }),
    title: Type.String({ minLength: 1 }),
    description: Type.String({ minLength: 1 }),
    connections: dictionary(RecipeRole, {
      keyPattern: manifestPatterns.alias.pattern,
      minProperties: 1,
      description: 'Role → the connector it needs.',
    }),
    parameters: Type.Optional(dictionary(RecipeParameter, { keyPattern: manifestPatterns.alias.pattern })),
    mappingTables: Type.Optional(dictionary(MappingTable, { keyPattern: manifestPatterns.name.pattern })),
    flows: Type.Array(Type.String({ minLength: 1, description: 'A flow manifest, relative to this file.' }), {
      minItems: 1,
      uniqueItems: true,
    }),
  },
  { ...closed, title: 'Ferry recipe manifest v1' },
)

/** The JSON Schema document published as manifests/recipe.schema.json. */
export const recipeJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ferry.dev/schemas/recipe.schema.json',
  ...RecipeManifest,
}

/** A recipe manifest (after schema validation). */
export type RecipeManifest = Static<typeof RecipeManifest>
/** One entry of a recipe's `mappingTables`. */
export type MappingTable = Static<typeof MappingTable>
/** One entry of a recipe's `parameters`. */
export type RecipeParameter = Static<typeof RecipeParameter>

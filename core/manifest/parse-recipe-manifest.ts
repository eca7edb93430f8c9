/**
 * Parses and checks a recipe and every flow it lists: the recipe's own schema, its roles' connectors,
 * its mapping tables' streams, the flow files' existence, and each flow against the recipe's roles.
 */
import type { ConnectorCatalog } from './catalog.ts'
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { entriesAt, objectOf, stringAt } from './manifest-data.ts'
import { diagnosticAt, escapePointer, type ManifestSource, readManifestSource } from './manifest-source.ts'
import { validatorFor } from './manifest-validator.ts'
import { parseFlowManifest } from './parse-flow-manifest.ts'
import { type RecipeManifest, recipeJsonSchema } from './recipe-schema.ts'
import type { ResolveFile } from './resolve-file.ts'
import type { ResolvedFlowManifest } from './resolve-flow-manifest.ts'
import { schemaDiagnostics } from './schema-diagnostics.ts'

/** What {@link parseRecipeManifest} needs. */
export interface ParseRecipeInput {
  file: string
  text: string
  catalog: ConnectorCatalog
  /** Reads the recipe's flow files (and their .jsonata files). */
  resolveFile?: ResolveFile
}

/** The outcome: `recipe` and `flows` only when neither the recipe nor any flow has errors. */
export interface ParseRecipeResult {
  recipe?: RecipeManifest
  flows?: ResolvedFlowManifest[]
  diagnostics: Diagnostic[]
}

/** Parses, validates and resolves a recipe and its flows. Never throws on bad input. */
export function parseRecipeManifest(input: ParseRecipeInput): ParseRecipeResult {
  const source = readManifestSource(input.file, input.text)
  if (source.broken) return { diagnostics: sortDiagnostics(source.syntax) }
  if (objectOf(source.data) === undefined) {
    const message = 'a recipe must be a mapping with version, name, title, description, connections and flows'
    return {
      diagnostics: [...source.syntax, diagnosticAt(source, '', 'value', { code: 'not-a-manifest', message })],
    }
  }
  const data = structuredClone(source.data)
  const validate = validatorFor(recipeJsonSchema)
  const valid = validate(data) as boolean
  const diagnostics = [
    ...source.syntax,
    ...schemaDiagnostics(source, valid ? [] : (validate.errors ?? [])),
    ...checkRoles(source, input.catalog),
  ]
  const roles: Record<string, string> = {}
  for (const [role, spec] of entriesAt(source.data, 'connections')) {
    const connector = stringAt(spec, 'connector')
    if (connector !== undefined) roles[role] = connector
  }
  const tables = entriesAt(source.data, 'mappingTables').map(([name]) => name)
  const flows: ResolvedFlowManifest[] = []
  const names = new Map<string, string>()
  const indexes: number[] = []
  const listed = objectOf(source.data)?.flows
  for (const [i, path] of (Array.isArray(listed) ? listed : []).entries()) {
    if (typeof path !== 'string') continue
    const flowFile = input.resolveFile?.(path, input.file)
    if (!flowFile) {
      const message = `flow file "${path}" not found (paths are relative to the recipe's folder)`
      diagnostics.push(diagnosticAt(source, `/flows/${i}`, 'value', { code: 'missing-file', message }))
      continue
    }
    const flow = parseFlowManifest({
      ...flowFile,
      catalog: input.catalog,
      resolveFile: input.resolveFile,
      recipe: { roles, tables },
    })
    diagnostics.push(...flow.diagnostics)
    if (!flow.manifest) continue
    const other = names.get(flow.manifest.name)
    if (other !== undefined) {
      const message = `flow name "${flow.manifest.name}" is used by both ${other} and ${path}; flow names must be unique in a recipe`
      diagnostics.push(diagnosticAt(source, `/flows/${i}`, 'value', { code: 'duplicate-flow', message }))
    }
    names.set(flow.manifest.name, path)
    flows.push(flow.manifest)
    indexes.push(i)
  }
  diagnostics.push(...checkCreateMissing(source, flows, indexes, names))
  const sorted = sortDiagnostics(diagnostics)
  if (hasErrors(sorted)) return { diagnostics: sorted }
  return { recipe: data as RecipeManifest, flows, diagnostics: sorted }
}

/** A lookup's `createMissing.through` must name a flow of the recipe (the one that creates the master). */
function checkCreateMissing(
  source: ManifestSource,
  flows: readonly ResolvedFlowManifest[],
  indexes: readonly number[],
  names: ReadonlyMap<string, string>,
): Diagnostic[] {
  const found: Diagnostic[] = []
  for (const [n, flow] of flows.entries()) {
    for (const [lookup, spec] of Object.entries(flow.lookups ?? {})) {
      const create = 'table' in spec ? spec.createMissing : undefined
      if (!create) continue
      const at = `flow ${flow.name}: lookups.${lookup}.createMissing`
      const problem = (code: string, message: string) =>
        found.push(
          diagnosticAt(source, `/flows/${indexes[n]}`, 'value', { code, message: `${at}${message}` }),
        )
      if (!names.has(create.through))
        problem(
          'unknown-flow',
          `.through names "${create.through}", which is not a flow of this recipe${expectedOneOf(create.through, [...names.keys()], 'its flows:')}`,
        )
      const by = create.enabledBy
      if (by === undefined) continue
      const declared = objectOf(objectOf(objectOf(source.data)?.parameters)?.[by])
      if (declared?.type !== 'boolean')
        problem(
          'unknown-parameter',
          `.enabledBy names "${by}", which is not a boolean parameter of this recipe`,
        )
      const params = flow.lookups?.params
      if (!params || !('values' in params))
        problem(
          'no-params',
          `.enabledBy needs a \`params\` lookup with values in the flow: enabling the recipe writes the parameters there`,
        )
    }
  }
  return found
}

/** Roles' connector ids, mapping-table sides, and parameter defaults of the right type. */
function checkRoles(source: ManifestSource, catalog: ConnectorCatalog): Diagnostic[] {
  const out: Diagnostic[] = []
  const error = (pointer: string, code: string, message: string) =>
    out.push(diagnosticAt(source, pointer, 'value', { code, message }))
  const roles = new Map(
    entriesAt(source.data, 'connections').map(([role, spec]) => [role, stringAt(spec, 'connector')]),
  )
  for (const [role, id] of roles) {
    if (id !== undefined && !catalog[id]) {
      error(
        `/connections/${escapePointer(role)}/connector`,
        'unknown-connector',
        `unknown connector "${id}" for role "${role}"${expectedOneOf(id, Object.keys(catalog))}`,
      )
    }
  }
  for (const [name, table] of entriesAt(source.data, 'mappingTables')) {
    for (const side of ['from', 'to'] as const) {
      const pointer = `/mappingTables/${escapePointer(name)}/${side}`
      const spec = objectOf(table)?.[side]
      const role = stringAt(spec, 'role')
      if (role === undefined) continue
      if (!roles.has(role)) {
        error(
          `${pointer}/role`,
          'unknown-role',
          `mappingTables.${name}.${side}.role "${role}" is not a role${expectedOneOf(role, [...roles.keys()], 'roles:')}`,
        )
        continue
      }
      const connector = catalog[roles.get(role) ?? '']
      const stream = stringAt(spec, 'stream')
      if (!connector || stream === undefined) continue
      const readable = Object.keys(connector.streams).filter((s) => connector.streams[s]!.readable)
      if (!readable.includes(stream)) {
        const what = connector.streams[stream]
          ? `${connector.id}/${stream} cannot be read`
          : `unknown stream "${stream}" for ${connector.id}`
        error(
          `${pointer}/stream`,
          connector.streams[stream] ? 'not-readable' : 'unknown-stream',
          `${what}${expectedOneOf(stream, readable, 'readable streams:')}`,
        )
      }
    }
  }
  for (const [name, parameter] of entriesAt(source.data, 'parameters')) {
    const spec = objectOf(parameter)
    const type = spec?.type
    if (spec?.default === undefined || typeof type !== 'string') continue
    const fits = type === 'integer' ? Number.isInteger(spec.default) : typeof spec.default === type
    if (!fits)
      error(
        `/parameters/${escapePointer(name)}/default`,
        'invalid-default',
        `parameters.${name}.default must be of type ${type}`,
      )
  }
  return out
}

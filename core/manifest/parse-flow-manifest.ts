/**
 * Parses and checks a flow manifest: YAML/JSON syntax, the schema, the connector catalog, cron and
 * time zones, and every JSONata expression — reporting all problems at once, each with its place.
 */
import type { ConnectorCatalog } from './catalog.ts'
import { checkFlowCatalog } from './check-flow-catalog.ts'
import {
  checkExpression,
  expressionAt,
  expressionPointers,
  type LocatedExpression,
} from './check-flow-expressions.ts'
import { checkFlowTrigger } from './check-flow-trigger.ts'
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { fileOrigin } from './expression-origin.ts'
import { type FlowManifest, flowJsonSchema } from './flow-schema.ts'
import { entriesAt, objectOf, stringAt } from './manifest-data.ts'
import { diagnosticAt, escapePointer, type ManifestSource, readManifestSource } from './manifest-source.ts'
import { validatorFor } from './manifest-validator.ts'
import type { ResolveFile } from './resolve-file.ts'
import { type ResolvedFlowManifest, resolveFlowManifest } from './resolve-flow-manifest.ts'
import { schemaDiagnostics } from './schema-diagnostics.ts'

/** What {@link parseFlowManifest} needs. */
export interface ParseFlowInput {
  file: string
  text: string
  catalog: ConnectorCatalog
  /** Reads the map's .jsonata file; without it a file map is reported as missing. */
  resolveFile?: ResolveFile
  /** The enclosing recipe: connection aliases must be its roles, table lookups its mapping tables. */
  recipe?: RecipeContext
}

/** What a flow inside a recipe is checked against. */
export interface RecipeContext {
  /** Role → connector id. */
  roles: Record<string, string>
  tables: readonly string[]
}

/** The outcome: `manifest` only when there are no errors; diagnostics sorted by position. */
export interface ParseFlowResult {
  manifest?: ResolvedFlowManifest
  diagnostics: Diagnostic[]
}

/** Parses, validates and resolves one flow manifest. Never throws on bad input. */
export function parseFlowManifest(input: ParseFlowInput): ParseFlowResult {
  const source = readManifestSource(input.file, input.text)
  if (source.broken) return { diagnostics: sortDiagnostics(source.syntax) }
  if (objectOf(source.data) === undefined) {
    const diagnostic = diagnosticAt(source, '', 'value', {
      code: 'not-a-manifest',
      message: 'a flow manifest must be a mapping with version, name, connections, source, map and target',
    })
    return { diagnostics: [...source.syntax, diagnostic] }
  }
  const data = structuredClone(source.data)
  const validate = validatorFor(flowJsonSchema)
  const valid = validate(data) as boolean
  const semantic = [
    ...checkFlowCatalog(source, source.data, input.catalog),
    ...checkFlowTrigger(source, source.data),
    ...checkReferences(source, input.recipe),
  ]
  const map = checkMap(source, input.resolveFile)
  const lookupNames = entriesAt(source.data, 'lookups').map(([name]) => name)
  const expressions = expressionPointers(source.data)
    .map((pointer) => expressionAt(source, pointer))
    .filter((e): e is LocatedExpression => e !== undefined)
  if (map.expression) expressions.push(map.expression)
  const jsonata = expressions.flatMap((e) => checkExpression(e, lookupNames))
  // The catalog knows the stream's own operations, which says more than the schema's generic list.
  const specific = new Set(semantic.filter((d) => d.code === 'unknown-operation').map((d) => d.pointer))
  const schema = schemaDiagnostics(source, valid ? [] : (validate.errors ?? [])).filter(
    (d) => !specific.has(d.pointer),
  )
  const diagnostics = sortDiagnostics([
    ...source.syntax,
    ...schema,
    ...semantic,
    ...map.diagnostics,
    ...jsonata,
  ])
  if (hasErrors(diagnostics) || !map.expression) return { diagnostics }
  return {
    manifest: resolveFlowManifest(data as FlowManifest, map.expression, map.inline, input.catalog),
    diagnostics,
  }
}

/** True when `map` names a file rather than holding an inline expression. */
export function isMapFile(map: string): boolean {
  return /^\.{1,2}\//.test(map) || /^[\w./-]+\.jsonata$/.test(map)
}

function checkMap(source: ManifestSource, resolveFile: ResolveFile | undefined) {
  const map = stringAt(source.data, 'map')
  if (map === undefined || !isMapFile(map)) {
    return { expression: expressionAt(source, '/map'), inline: true, diagnostics: [] as Diagnostic[] }
  }
  const file = resolveFile?.(map, source.file)
  if (!file) {
    const message = `map file "${map}" not found (paths are relative to the manifest's folder)`
    return {
      inline: false,
      diagnostics: [diagnosticAt(source, '/map', 'value', { code: 'missing-file', message })],
    }
  }
  const expression: LocatedExpression = {
    pointer: '/map',
    source: file.text,
    origin: fileOrigin(file.file, file.text),
  }
  return { expression, inline: false, diagnostics: [] as Diagnostic[] }
}

/** Names that refer to other parts of the manifest or recipe: test lookups, roles and mapping tables. */
function checkReferences(source: ManifestSource, recipe: RecipeContext | undefined): Diagnostic[] {
  const out: Diagnostic[] = []
  const lookups = entriesAt(source.data, 'lookups')
  const names = lookups.map(([name]) => name)
  const tests = objectOf(source.data)?.tests
  if (Array.isArray(tests)) {
    tests.forEach((test, i) => {
      for (const [name] of entriesAt(test, 'lookups')) {
        if (names.includes(name)) continue
        const pointer = `/tests/${i}/lookups/${escapePointer(name)}`
        out.push(
          diagnosticAt(source, pointer, 'key', {
            code: 'unknown-lookup',
            message: `tests[${i}].lookups names "${name}", which is not in lookups${expectedOneOf(name, names, 'declared lookups:')}`,
          }),
        )
      }
    })
  }
  if (recipe === undefined) return out
  const roles = Object.keys(recipe.roles)
  for (const [alias, id] of entriesAt(source.data, 'connections')) {
    const pointer = `/connections/${escapePointer(alias)}`
    const expected = recipe.roles[alias]
    if (expected === undefined) {
      out.push(
        diagnosticAt(source, pointer, 'key', {
          code: 'unknown-role',
          message: `connection "${alias}" is not a role of the recipe${expectedOneOf(alias, roles, 'roles:')}`,
        }),
      )
    } else if (typeof id === 'string' && id !== expected) {
      out.push(
        diagnosticAt(source, pointer, 'value', {
          code: 'role-mismatch',
          message: `connection "${alias}" is "${id}" here but the recipe's role "${alias}" is "${expected}"`,
        }),
      )
    }
  }
  const tables = recipe.tables
  for (const [name, lookup] of lookups) {
    const table = stringAt(lookup, 'table')
    if (table !== undefined && !tables.includes(table)) {
      out.push(
        diagnosticAt(source, `/lookups/${escapePointer(name)}/table`, 'value', {
          code: 'unknown-table',
          message: `unknown mapping table "${table}" in lookups.${name}.table${expectedOneOf(table, tables, 'the recipe defines')}`,
        }),
      )
    }
  }
  return out
}

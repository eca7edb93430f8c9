/**
 * Validates many manifest files at once (what `ferry validate` and the API's manifests/validate run):
 * each file is read as a flow, a recipe or a connector manifest, recipes bring their flows, and all
 * diagnostics come back sorted and formatted.
 */
import type { ConnectorCatalog } from './catalog.ts'
import { catalogFromConnectorManifest } from './connector-catalog.ts'
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from './diagnostic.ts'
import { isConnectorManifestFile, parseConnectorManifest } from './parse-connector-manifest.ts'
import { parseFlowManifest } from './parse-flow-manifest.ts'
import { parseRecipeManifest } from './parse-recipe-manifest.ts'
import type { ResolvedFile, ResolveFile } from './resolve-file.ts'

/** The result of validating a set of files. */
export interface ValidationReport {
  diagnostics: Diagnostic[]
  /** One formatted line per diagnostic (`file:line:col  message  (pointer)`), empty when all is well. */
  output: string
  /** e.g. `2 errors, 1 warning in 3 files` or `3 files OK`. */
  summary: string
  errors: number
  warnings: number
}

/** A recipe or connector by its file name (`recipe.yaml`, `*.connector.yaml`) or its modeline; a flow otherwise. */
export function manifestKind(file: string, text: string): 'flow' | 'recipe' | 'connector' {
  if (isConnectorManifestFile(file, text)) return 'connector'
  if (/(^|[/\\.])recipe\.(ya?ml|json)$/.test(file)) return 'recipe'
  return /yaml-language-server:\s*\$schema=\S*recipe\.schema\.json/.test(text) ? 'recipe' : 'flow'
}

/**
 * Validates every file; a flow listed by a recipe and also passed directly is reported once. Connector
 * manifests among the files are checked first and join the catalog, so flows validated with them may
 * use the connectors they declare.
 */
export function validateManifestFiles(
  files: readonly ResolvedFile[],
  catalog: ConnectorCatalog,
  resolveFile?: ResolveFile,
): ValidationReport {
  const all: Diagnostic[] = []
  const withDeclared: ConnectorCatalog = { ...catalog }
  for (const { file, text } of files.filter((f) => manifestKind(f.file, f.text) === 'connector')) {
    const result = parseConnectorManifest({ file, text, resolveFile })
    all.push(...result.diagnostics)
    if (result.manifest) withDeclared[result.manifest.id] = catalogFromConnectorManifest(result.manifest)
  }
  for (const { file, text } of files) {
    const kind = manifestKind(file, text)
    if (kind === 'connector') continue
    const input = { file, text, catalog: withDeclared, resolveFile }
    const result = kind === 'recipe' ? parseRecipeManifest(input) : parseFlowManifest(input)
    all.push(...result.diagnostics)
  }
  const diagnostics = sortDiagnostics(all)
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const warnings = diagnostics.length - errors
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const summary =
    diagnostics.length === 0
      ? `${plural(files.length, 'file')} OK`
      : `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files.length, 'file')}`
  return { diagnostics, output: diagnostics.map(formatDiagnostic).join('\n'), summary, errors, warnings }
}

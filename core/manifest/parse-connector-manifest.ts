/**
 * Parses and checks a connector manifest: YAML/JSON syntax, the schema, every JSONata expression and
 * template, and the connector rules (secrets, paging, webhook streams) — all problems at once, each
 * with its place, exactly as flows are checked.
 */
import { checkConnectorExpressions } from './check-connector-expressions.ts'
import { checkConnectorManifest } from './check-connector-manifest.ts'
import { type ConnectorManifest, connectorJsonSchema } from './connector-schema.ts'
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.ts'
import { expressionFields } from './expression-fields.ts'
import { entriesAt, objectOf } from './manifest-data.ts'
import { diagnosticAt, readManifestSource } from './manifest-source.ts'
import { validatorFor } from './manifest-validator.ts'
import type { ResolveFile } from './resolve-file.ts'
import { schemaDiagnostics } from './schema-diagnostics.ts'

/** What {@link parseConnectorManifest} needs. */
export interface ParseConnectorInput {
  file: string
  text: string
  /** Finds files the manifest names (its sandbox module); without it they are not checked. */
  resolveFile?: ResolveFile
}

/** The outcome: `manifest` (defaults filled in) only when there are no errors. */
export interface ParseConnectorResult {
  manifest?: ConnectorManifest
  diagnostics: Diagnostic[]
}

/** True for a file that holds a connector manifest: `*.connector.yaml` or the connector schema modeline. */
export function isConnectorManifestFile(file: string, text = ''): boolean {
  if (/(^|[/\\.])connector\.(ya?ml|json)$/.test(file)) return true
  return /yaml-language-server:\s*\$schema=\S*connector\.schema\.json/.test(text)
}

/** Parses and validates one connector manifest. Never throws on bad input. */
export function parseConnectorManifest(input: ParseConnectorInput): ParseConnectorResult {
  const source = readManifestSource(input.file, input.text)
  if (source.broken) return { diagnostics: sortDiagnostics(source.syntax) }
  if (objectOf(source.data) === undefined) {
    const diagnostic = diagnosticAt(source, '', 'value', {
      code: 'not-a-manifest',
      message: 'a connector manifest must be a mapping with version, id, title, baseUrl and streams',
    })
    return { diagnostics: [...source.syntax, diagnostic] }
  }
  const data = structuredClone(source.data)
  const validate = validatorFor(connectorJsonSchema)
  const valid = validate(data) as boolean
  const schema = schemaDiagnostics(source, valid ? [] : (validate.errors ?? []))
  const configFields =
    objectOf(source.data)?.config === undefined ? [] : entriesAt(source.data, 'config').map(([n]) => n)
  const fields = expressionFields(connectorJsonSchema, source.data)
  const diagnostics = sortDiagnostics([
    ...source.syntax,
    ...schema,
    ...checkConnectorExpressions(source, fields, configFields),
    ...checkConnectorManifest(source, source.data, input.resolveFile),
  ])
  if (hasErrors(diagnostics)) return { diagnostics }
  return { manifest: data as ConnectorManifest, diagnostics }
}

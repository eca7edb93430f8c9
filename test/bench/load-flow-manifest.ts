import { readFileSync } from 'node:fs'
import { connectors } from '../../connectors/index.ts'
import type { Connector } from '../../core/connector/connector.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { formatDiagnostic } from '../../core/manifest/diagnostic.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { parseFlowManifest } from '../../core/manifest/parse-flow-manifest.ts'
import { resolveFromDisk } from '../../runtime/cli/read-manifest-files.ts'
import { toStoredManifest } from '../../runtime/engine/stored-manifest.ts'

const ROOT = new URL('../../', import.meta.url).pathname

/**
 * Parses a flow manifest (path relative to the repository root) into its stored form; throws on
 * diagnostics. `registry`: the connectors it may name (default: the TypeScript ones).
 */
export function loadFlowManifest(
  relativePath: string,
  registry: Record<string, Connector> = connectors,
): FlowManifest {
  const file = `${ROOT}${relativePath}`
  const parsed = parseFlowManifest({
    file,
    text: readFileSync(file, 'utf8'),
    catalog: catalogFromConnectors(registry),
    resolveFile: resolveFromDisk,
  })
  if (!parsed.manifest) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'))
  return toStoredManifest(parsed.manifest)
}

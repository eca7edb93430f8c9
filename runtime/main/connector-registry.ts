/**
 * The connector registry of a Ferry process: the TypeScript connectors plus every connector manifest
 * under connectors/ and under the directories of FERRY_CONNECTOR_PATH (separated like PATH). Built
 * once at start; a broken manifest stops the start with its diagnostics rather than failing later.
 */
import { delimiter } from 'node:path'
import { type ConnectorRegistry, loadConnectorRegistry } from '../../connectors/index.ts'
import { formatDiagnostic, hasErrors } from '../../core/manifest/diagnostic.ts'

/** The directories FERRY_CONNECTOR_PATH names (empty entries ignored). */
export function connectorPathDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.FERRY_CONNECTOR_PATH ?? '').split(delimiter).filter((d) => d.trim() !== '')
}

/** A start refused because a connector manifest is broken; the message lists every diagnostic. */
export class ConnectorManifestError extends Error {
  constructor(readonly lines: string[]) {
    super(`connector manifests have errors:\n${lines.join('\n')}`)
  }
}

/** Loads the registry; with `strict` (every command that runs flows) any error in a manifest throws. */
export function connectorRegistry(
  options: { env?: NodeJS.ProcessEnv; strict?: boolean } = {},
): ConnectorRegistry {
  const loaded = loadConnectorRegistry(connectorPathDirs(options.env))
  if (options.strict !== false && hasErrors(loaded.diagnostics))
    throw new ConnectorManifestError(loaded.diagnostics.map(formatDiagnostic))
  return loaded
}

/**
 * The connector registry: one explicit object. Valid connector ids are its keys; nothing registers
 * itself by import side effect. Declared connectors (YAML manifests under this folder and in the
 * operator's directories) join it through {@link loadConnectorRegistry}, once, at start.
 */
import path from 'node:path'
import type { Connector } from '../core/connector/connector.ts'
import type { Diagnostic } from '../core/manifest/diagnostic.ts'
import { basware } from './basware/index.ts'
import { businessCentral } from './business-central/index.ts'
import { type LoadedDeclaration, loadConnectorManifests } from './declarative/load-connector-manifests.ts'
import { ferryRoot } from './ferry-root.ts'
import { misa } from './misa/index.ts'

export const connectors = {
  'business-central': businessCentral,
  basware,
  misa,
} satisfies Record<string, Connector>

/** A connector id known to this build. */
export type ConnectorId = keyof typeof connectors

/** The connectors/ tree whose manifests ship with Ferry (this folder, in the sources). */
export const connectorsDir = path.join(ferryRoot, 'connectors')

/** The TypeScript connectors plus every declared one, with the declarations' problems. */
export interface ConnectorRegistry {
  registry: Record<string, Connector>
  /** The connectors that came from manifests (their file and declaration). */
  declarations: LoadedDeclaration[]
  diagnostics: Diagnostic[]
}

/**
 * The registry of this process: the TypeScript connectors, every connector manifest under
 * connectors/ and every one under `extraDirs` (the directories of FERRY_CONNECTOR_PATH). A manifest
 * with errors is left out and its diagnostics returned; the caller decides whether that is fatal.
 */
export function loadConnectorRegistry(extraDirs: readonly string[] = []): ConnectorRegistry {
  const loaded = loadConnectorManifests([connectorsDir, ...extraDirs], Object.keys(connectors))
  const registry: Record<string, Connector> = { ...connectors }
  for (const d of loaded.declarations) registry[d.manifest.id] = d.connector
  return { registry, declarations: loaded.declarations, diagnostics: loaded.diagnostics }
}

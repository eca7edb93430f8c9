import type { ConnectorCatalog } from '../../core/manifest/catalog.ts'
import { parseFlowManifest } from '../../core/manifest/parse-flow-manifest.ts'
import { type ResolvedFile, resolveAmong } from '../../core/manifest/resolve-file.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import type { TaskName } from './pool-protocol.ts'

/** What each task takes. */
export interface PoolTaskInputs {
  /** Validate files sent together (POST /v1/manifests/validate): a ValidationReport. */
  'validate-files': { files: ResolvedFile[]; catalog: ConnectorCatalog }
  /** Parse one flow manifest (POST /v1/flows): a ParseFlowResult. */
  'parse-flow': { file: string; text: string; catalog: ConnectorCatalog }
}

/** Runs a task of the mapping pool in a child process (mapping-child.ts); answers plain data. */
export function runPoolTask(task: TaskName, input: unknown): unknown {
  if (task === 'validate-files') {
    const { files, catalog } = input as PoolTaskInputs['validate-files']
    return validateManifestFiles(files, catalog, resolveAmong(files))
  }
  const { file, text, catalog } = input as PoolTaskInputs['parse-flow']
  return parseFlowManifest({ file, text, catalog })
}

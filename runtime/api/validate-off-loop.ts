import type { Diagnostic } from '../../core/manifest/diagnostic.ts'
import type { ParseFlowResult } from '../../core/manifest/parse-flow-manifest.ts'
import type { ResolvedFile } from '../../core/manifest/resolve-file.ts'
import type { ValidationReport } from '../../core/manifest/validate-manifest-files.ts'
import { isMappingError } from '../../core/mapping/mapping-error.ts'
import { processMappingPool } from '../mapping-pool/process-mapping-pool.ts'
import type { ApiDeps } from './api-deps.ts'

/** Wall-clock time one manifest validation may take in the pool (files are capped at MANIFEST_SIZE_LIMIT). */
const VALIDATION_TIMEOUT_MS = 30_000

/** A limit the validation hit, as a diagnostic at the top of the first file. */
function limitDiagnostic(file: string, error: unknown): Diagnostic {
  if (!isMappingError(error)) throw error
  return {
    file,
    line: 1,
    col: 1,
    severity: 'error',
    code: error.code,
    message: `checking this manifest was stopped: ${error.message}`,
    pointer: '',
  }
}

/** Validates files sent together (what validateManifestFiles does) in the mapping pool, off the event loop. */
export async function validateFilesOffLoop(
  deps: Pick<ApiDeps, 'catalog' | 'mappingPool'>,
  files: ResolvedFile[],
): Promise<ValidationReport> {
  const pool = deps.mappingPool ?? processMappingPool()
  try {
    return (await pool.runTask(
      'validate-files',
      { files, catalog: deps.catalog },
      VALIDATION_TIMEOUT_MS,
    )) as ValidationReport
  } catch (error) {
    const diagnostic = limitDiagnostic(files[0]?.file ?? 'manifest', error)
    return { diagnostics: [diagnostic], output: '', summary: '1 error', errors: 1, warnings: 0 }
  }
}

/** Parses one flow manifest (what parseFlowManifest does) in the mapping pool, off the event loop. */
export async function parseFlowOffLoop(
  deps: Pick<ApiDeps, 'catalog' | 'mappingPool'>,
  file: string,
  text: string,
): Promise<ParseFlowResult> {
  const pool = deps.mappingPool ?? processMappingPool()
  try {
    return (await pool.runTask(
      'parse-flow',
      { file, text, catalog: deps.catalog },
      VALIDATION_TIMEOUT_MS,
    )) as ParseFlowResult
  } catch (error) {
    return { diagnostics: [limitDiagnostic(file, error)] }
  }
}

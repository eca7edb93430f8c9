import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { formatDiagnostic, sortDiagnostics } from '../../core/manifest/diagnostic.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { connectorRegistry } from '../main/connector-registry.ts'
import { readManifestFiles, resolveFromDisk } from './read-manifest-files.ts'

/**
 * `ferry validate <files…>`: compiler-style diagnostics; exit 1 on any error. The connector manifests
 * Ferry would load at start (connectors/ and FERRY_CONNECTOR_PATH) are checked too, and flows are
 * checked against the connectors they declare.
 */
export function validateCommand(args: string[], out: (line: string) => void): number {
  if (args.length === 0) {
    out('usage: ferry validate <manifest or folder>…')
    return 2
  }
  const loaded = connectorRegistry({ strict: false })
  const files = readManifestFiles(args)
  const report = validateManifestFiles(files, catalogFromConnectors(loaded.registry), resolveFromDisk)
  // A manifest passed on the command line is already in the report; the others speak for themselves.
  const passed = new Set(files.map((f) => f.file))
  const startup = loaded.diagnostics.filter((d) => !passed.has(d.file))
  const diagnostics = sortDiagnostics([...startup, ...report.diagnostics])
  if (diagnostics.length) out(diagnostics.map(formatDiagnostic).join('\n'))
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  out(
    startup.length
      ? `${report.summary}; connector manifests Ferry loads at start: ${startup.length} problem${startup.length === 1 ? '' : 's'}`
      : report.summary,
  )
  return errors > 0 ? 1 : 0
}

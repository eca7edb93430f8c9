import { connectors } from '../../connectors/index.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { readManifestFiles, resolveFromDisk } from './read-manifest-files.ts'

/** `ferry validate <files…>`: compiler-style diagnostics; exit 1 on any error. */
export function validateCommand(args: string[], out: (line: string) => void): number {
  if (args.length === 0) {
    out('usage: ferry validate <manifest or folder>…')
    return 2
  }
  const report = validateManifestFiles(
    readManifestFiles(args),
    catalogFromConnectors(connectors),
    resolveFromDisk,
  )
  if (report.output) out(report.output)
  out(report.summary)
  return report.errors > 0 ? 1 : 0
}

/** Reads manifest fixtures the way the CLI does, with file names relative to test/manifests/. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResolvedFile, ResolveFile } from '../../core/manifest/resolve-file.ts'

const root = dirname(fileURLToPath(import.meta.url))

/** The fixture at `file` (relative to test/manifests/). */
export function readFixture(file: string): ResolvedFile {
  return { file, text: readFileSync(join(root, file), 'utf8') }
}

/** Resolves a path written in a fixture relative to that fixture's folder. */
export const resolveFixture: ResolveFile = (relativePath, fromFile) => {
  const file = normalize(join(dirname(fromFile), relativePath))
  return existsSync(join(root, file)) ? readFixture(file) : undefined
}

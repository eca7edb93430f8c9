import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { ResolvedFile, ResolveFile } from '../../core/manifest/resolve-file.ts'

/** Reads a file a manifest refers to, relative to the manifest's folder. */
export const resolveFromDisk: ResolveFile = (relativePath, fromFile) => {
  const file = path.join(path.dirname(fromFile), relativePath)
  return existsSync(file) && statSync(file).isFile() ? { file, text: readFileSync(file, 'utf8') } : undefined
}

/** Expands arguments (files or folders) into manifest files: folders yield their flow, recipe and connector manifests. */
export function readManifestFiles(args: readonly string[]): ResolvedFile[] {
  const files: string[] = []
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry))
    } else if (
      /(\.flow\.(ya?ml|json)|recipe\.ya?ml|\.connector\.(ya?ml|json))$/.test(p) ||
      args.includes(p)
    ) {
      files.push(p)
    }
  }
  for (const arg of args) {
    if (!existsSync(arg)) throw new Error(`${arg}: no such file or directory`)
    walk(arg)
  }
  return files.map((file) => ({ file, text: readFileSync(file, 'utf8') }))
}

/** How core/ reads files it does not own: the caller (CLI, API, tests) passes a resolver. */

/** A file's name (as it should appear in diagnostics) and its text. */
export interface ResolvedFile {
  file: string
  text: string
}

/**
 * Reads `relativePath` as written in the manifest `fromFile`, relative to that manifest's folder.
 * Returns undefined when the file does not exist.
 */
export type ResolveFile = (relativePath: string, fromFile: string) => ResolvedFile | undefined

/**
 * Resolves among files sent together (the API's manifests/validate): a recipe finds its flows, a flow
 * its .jsonata, relative to the referring file's folder or by the name as written.
 */
export function resolveAmong(files: readonly ResolvedFile[]): ResolveFile {
  const byName = new Map(files.map((f) => [f.file, f]))
  return (relative, from) => {
    const folder = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : ''
    return byName.get(`${folder}${relative}`.replace(/^\.\//, '')) ?? byName.get(relative)
  }
}

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

import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * The folder Ferry is installed in: the nearest folder holding a package.json, from this module
 * upwards. The connector manifests, recipes and migrations that ship with Ferry are found from here,
 * the same whether this code runs from its sources (connectors/) or bundled into the CLI build
 * (dist/cli/chunks/).
 */
export const ferryRoot = findRoot(import.meta.dirname)

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir)
      throw new Error(`no package.json above ${from}: Ferry's install folder not found`)
  }
}

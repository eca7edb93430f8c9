/**
 * Builds the `ferry` CLI into dist/cli: runtime/cli/main.ts and everything it imports, bundled by
 * esbuild into ES modules, split so each command's code is its own chunk that loads only when that
 * command runs (main.ts imports each command dynamically). Packages stay in node_modules.
 * dist/cli/build.json lists the source files that went in and when the build started, so the
 * launcher (runtime/cli/ferry.js) can tell a fresh build from a stale one with one stat per file.
 *
 * `npm install` and `npm ci` run it (the `prepare` script); `npm run build` runs it by hand.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** What build.json holds. */
export interface CliBuildInfo {
  /** When the build started (ms since the epoch): a source changed after it makes the build stale. */
  builtAt: number
  /** The source files bundled in, relative to the Ferry folder. */
  inputs: string[]
}

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Builds the CLI into `outdir` (inside the Ferry folder, so the build finds node_modules and the
 * shipped manifests), replacing what was there only once the new build is complete.
 */
export async function buildCli(outdir: string = path.join(root, 'dist', 'cli')): Promise<CliBuildInfo> {
  const builtAt = Date.now()
  const staging = `${outdir}.tmp-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['runtime/cli/main.ts'],
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      // Linked maps cost nothing at start; NODE_OPTIONS=--enable-source-maps shows source lines in traces.
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    })
    const inputs = Object.keys(result.metafile.inputs).sort()
    const info: CliBuildInfo = { builtAt, inputs }
    writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify(info, null, 1)}\n`)
    mkdirSync(path.dirname(outdir), { recursive: true })
    rmSync(outdir, { recursive: true, force: true })
    renameSync(staging, outdir)
    return info
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const info = await buildCli()
  console.log(`built dist/cli from ${info.inputs.length} source files`)
}

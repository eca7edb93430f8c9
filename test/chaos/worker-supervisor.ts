import type { ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import path from 'node:path'
import { spawnFerryWorker } from '../support/ferry-worker-process.ts'

/** What {@link superviseWorkers} needs: where the workers connect, keep state and write their logs. */
export interface WorkerSupervisorOptions {
  count: number
  databaseUrl: string
  dataDir: string
  logDir: string
  masterKey: Buffer
  /** Reports a worker that exited by itself. */
  say: (line: string) => void
}

/** Workers run as systemd would run them: started, restarted when they exit, killed on purpose. */
export interface WorkerSupervisor {
  /** How many workers exited without being killed on purpose. */
  readonly unplannedExits: number
  /** SIGKILLs worker `slot` (if it runs) and starts a new one after `pauseMs`. */
  kill(slot: number, pauseMs: number): Promise<void>
  /** Stops supervising and ends every worker (SIGTERM, SIGKILL after 30 s). */
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts `count` real `ferry worker` processes and supervises them: a worker that exits by itself (one
 * that was starting when PostgreSQL went away gives up) is counted and started again a second later.
 */
export function superviseWorkers(options: WorkerSupervisorOptions): WorkerSupervisor {
  let spawned = 0
  let supervising = true
  let unplannedExits = 0
  const killing = new Set<ChildProcess>()
  const start = (): ChildProcess => {
    const log = createWriteStream(path.join(options.logDir, `worker-${++spawned}.log`))
    const child = spawnFerryWorker({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      masterKey: options.masterKey,
      env: { FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1', FERRY_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.pipe(log)
    child.stderr!.pipe(log)
    return child
  }
  const supervised = (slot: number): ChildProcess => {
    const child = start()
    const since = Date.now()
    let working = false
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is working')) working = true
    })
    child.once('exit', (code, signal) => {
      if (!supervising || killing.delete(child)) return
      unplannedExits++
      const age = `${((Date.now() - since) / 1000).toFixed(0)}s old, ${working ? 'working' : 'still starting'}`
      options.say(`worker exited by itself (${signal ?? code}; ${age}); starting it again`)
      setTimeout(() => {
        if (supervising) workers[slot] = supervised(slot)
      }, 1_000)
    })
    return child
  }
  const workers = Array.from({ length: options.count }, (_, slot) => supervised(slot))
  return {
    get unplannedExits() {
      return unplannedExits
    },
    async kill(slot, pauseMs) {
      const victim = workers[slot]!
      if (victim.exitCode !== null || victim.signalCode !== null) return
      killing.add(victim)
      const exited = new Promise((r) => victim.once('exit', r))
      victim.kill('SIGKILL')
      await exited
      await sleep(pauseMs)
      workers[slot] = supervised(slot)
    },
    async stop() {
      supervising = false
      await Promise.all(
        workers.map(async (w) => {
          if (w.exitCode !== null || w.signalCode !== null) return
          const exited = new Promise((r) => w.once('exit', r))
          w.kill('SIGTERM')
          await Promise.race([exited, sleep(30_000)])
          w.kill('SIGKILL')
        }),
      )
    },
  }
}

import type { Job, PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'
import type { ClaimsPool } from './open-claims-pool.ts'

/** How a job handed to a {@link SlotWorker} settles: completed, or failed with an output (pg-boss retries it). */
export type SlotOutcome = { status: 'completed' } | { status: 'failed'; output: Record<string, unknown> }

/** Options for {@link startSlotWorker}. */
export interface SlotWorkerOptions<T> {
  boss: PgBoss
  queue: string
  /** Jobs running at once in this process; a fetch never asks for more than the slots free. */
  slots: number
  /** Runs one job. `signal` aborts when the job expires, its claim is lost or the worker stops. */
  run: (job: Job<T>, signal: AbortSignal) => Promise<SlotOutcome>
  log: Logger
  /** Safety-net poll while idle (jobs made due by a delay send no NOTIFY); default 2,000 ms. */
  pollIntervalMs?: number
  /** Where claims, settlements and heartbeats run (pg-boss's `db` option); default: pg-boss's pool. */
  db?: ClaimsPool['db']
  /**
   * Fetch again after each settlement is written: on a per-key FIFO queue a key's next job becomes
   * fetchable only then, and nothing else announces it.
   */
  fetchAfterSettle?: boolean
}

/** A running slot worker. */
export interface SlotWorker {
  /**
   * Fetches now if slots are free, instead of waiting for the next poll. Call it after a transaction
   * that enqueued jobs on this queue has COMMITTED (a wake before the commit finds nothing and costs
   * one empty fetch); LISTEN/NOTIFY calls it for inserts from any process.
   */
  wake(): void
  /** Stops fetching, lets running jobs finish for up to `timeoutMs` (then aborts them) and writes every settlement. */
  stop(timeoutMs?: number): Promise<void>
}

/** A fetched attempt of a job: settling with it is fenced to that attempt (pg-boss's JobAttempt). */
interface JobAttempt {
  id: string
  retryCount: number
}

interface Running<T> {
  job: Job<T>
  abort: AbortController
  startedAt: number
  /** When the job's claim was last refreshed (the fetch counts). */
  beatAt: number
}

/** How often running jobs are checked for expiry and long-running ones heartbeated. */
const SWEEP_MS = 1_000

/**
 * Works one pg-boss queue with a fixed number of slots: each fetch asks for exactly the slots free
 * (so a process never holds a job it has not started while another process idles), every fetched
 * job starts at once and frees its slot on its own, settlements are written in batches (one
 * complete per tick's worth), and an idle worker sleeps until woken (NOTIFY, {@link SlotWorker.wake})
 * or the safety-net poll. Takes over what pg-boss's `work()` did per batch: the job's signal
 * (expiry, claim lost), heartbeats of long jobs, and failing what a stop abandons.
 */
export function startSlotWorker<T>(options: SlotWorkerOptions<T>): SlotWorker {
  const { boss, queue, slots, log } = options
  const on = options.db ? { db: options.db } : {}
  const running = new Map<string, Running<T>>()
  const completions: JobAttempt[] = []
  const failures: { job: JobAttempt; output: Record<string, unknown> }[] = []
  // `due`: the queue may hold fetchable jobs (woken, polled, or the last fetch came back full).
  let due = true
  let fetching: Promise<void> | undefined
  let pumpQueued = false
  let settling: Promise<void> | undefined
  let stopped = false

  const schedulePump = () => {
    if (pumpQueued || stopped) return
    pumpQueued = true
    // Jobs that end in the same tick free their slots together, so one fetch asks for all of them.
    setImmediate(() => {
      pumpQueued = false
      pump()
    })
  }

  const pump = () => {
    const free = slots - running.size
    if (fetching || stopped || !due || free <= 0) return
    due = false
    fetching = boss.fetch<T>(queue, { batchSize: free, ...on }).then(
      (jobs) => {
        fetching = undefined
        for (const job of jobs) start(job)
        if (jobs.length === free) due = true
        schedulePump()
      },
      (error: unknown) => {
        // The poll tries again; nothing was claimed.
        fetching = undefined
        log.error('fetch failed', { queue, error: String(error) })
      },
    )
  }

  const start = (job: Job<T>) => {
    const now = Date.now()
    const entry: Running<T> = { job, abort: new AbortController(), startedAt: now, beatAt: now }
    running.set(job.id, entry)
    options.run(job, entry.abort.signal).then(
      (outcome) => finish(entry, outcome),
      (error: unknown) => finish(entry, { status: 'failed', output: { error: String(error) } }),
    )
  }

  const finish = (entry: Running<T>, outcome: SlotOutcome) => {
    // Already settled by the sweep (expired, claim lost) or by a stop: this result is not written.
    if (running.get(entry.job.id) !== entry) return
    running.delete(entry.job.id)
    const attempt = { id: entry.job.id, retryCount: entry.job.retryCount }
    if (outcome.status === 'completed') completions.push(attempt)
    else failures.push({ job: attempt, output: outcome.output })
    settleSoon()
    schedulePump()
  }

  const settleSoon = () => {
    settling ??= new Promise<void>((resolve) => setImmediate(resolve)).then(settle).finally(() => {
      settling = undefined
      if (completions.length > 0 || failures.length > 0) settleSoon()
      if (options.fetchAfterSettle) {
        due = true
        schedulePump()
      }
    })
  }

  // One statement for all completions collected so far (fenced to the attempts fetched), one per
  // distinct failure output. A failed write keeps them for the next round; until then the jobs stay
  // active, and pg-boss hands them back after the heartbeat lapses if this process dies.
  const settle = async () => {
    const done = completions.splice(0)
    const failed = failures.splice(0)
    try {
      if (done.length > 0) await boss.complete(queue, done, null, on)
    } catch (error) {
      completions.push(...done)
      log.error('completing jobs failed', { queue, jobs: done.length, error: String(error) })
    }
    const byOutput = new Map<string, JobAttempt[]>()
    for (const f of failed) {
      const key = JSON.stringify(f.output)
      byOutput.set(key, [...(byOutput.get(key) ?? []), f.job])
    }
    for (const [output, jobs] of byOutput) {
      try {
        await boss.fail(queue, jobs, JSON.parse(output) as object, on)
      } catch (error) {
        failures.push(...jobs.map((job) => ({ job, output: JSON.parse(output) as Record<string, unknown> })))
        log.error('failing jobs failed', { queue, jobs: jobs.length, error: String(error) })
      }
    }
  }

  const abandon = (entry: Running<T>, reason: string) => {
    running.delete(entry.job.id)
    entry.abort.abort(new Error(reason))
    failures.push({ job: { id: entry.job.id, retryCount: entry.job.retryCount }, output: { error: reason } })
    settleSoon()
    schedulePump()
  }

  // Expiry as pg-boss's work() enforces it (the job fails and pg-boss retries it), and a heartbeat
  // every half heartbeat for jobs that run that long (the fetch stamped the first one).
  const sweep = async () => {
    const now = Date.now()
    const beat: Running<T>[] = []
    for (const entry of running.values()) {
      const { expireInSeconds, heartbeatSeconds } = entry.job
      if (now - entry.startedAt >= expireInSeconds * 1000)
        abandon(entry, `job expired after ${expireInSeconds}s`)
      else if (heartbeatSeconds && now - entry.beatAt >= (heartbeatSeconds * 1000) / 2) beat.push(entry)
    }
    if (beat.length === 0) return
    for (const entry of beat) entry.beatAt = now
    try {
      // `settled` (the ids refreshed) is returned but missing from pg-boss's CommandResponse type.
      const touched = (await boss.touch(
        queue,
        beat.map((e) => ({ id: e.job.id, retryCount: e.job.retryCount })),
        on,
      )) as { settled?: string[] }
      if (!touched.settled) return
      // touch() is fenced to the attempt fetched: a job it did not refresh is no longer ours.
      const held = new Set(touched.settled)
      for (const entry of beat)
        if (!held.has(entry.job.id) && running.get(entry.job.id) === entry) {
          running.delete(entry.job.id)
          entry.abort.abort(new Error(`job ${entry.job.id} is no longer claimed by this worker`))
          schedulePump()
        }
    } catch (error) {
      log.error('heartbeat failed', { queue, error: String(error) })
    }
  }
  let sweeping = false
  const sweeper = setInterval(() => {
    if (sweeping || running.size === 0) return
    sweeping = true
    void sweep().finally(() => {
      sweeping = false
    })
  }, SWEEP_MS)
  const poller = setInterval(() => {
    due = true
    pump()
  }, options.pollIntervalMs ?? 2_000)

  pump()
  return {
    wake() {
      due = true
      pump()
    },
    async stop(timeoutMs = 15_000) {
      stopped = true
      clearInterval(poller)
      const deadline = Date.now() + timeoutMs
      await fetching
      while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      clearInterval(sweeper)
      for (const entry of [...running.values()]) abandon(entry, 'the worker stopped before the job finished')
      while (settling || completions.length > 0 || failures.length > 0) {
        if (!settling) settleSoon()
        await settling
      }
    },
  }
}

import type { Job, JobResult, PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'
import type { DeliveryOutcome } from '../engine/deliver/delivery.ts'
import type { Dispatcher } from '../engine/dispatcher.ts'
import type { DeliverJob } from './queue-dispatcher.ts'
import { QUEUES } from './queues.ts'

/** Options for {@link startDeliverWorkers}. */
export interface DeliverWorkerOptions {
  boss: PgBoss
  /** Delivers one record; `signal` (the job's) ends its connector calls when pg-boss gives up on the job. */
  deliver: (recordId: string, signal?: AbortSignal) => Promise<DeliveryOutcome>
  /** Delivers the records of batching flows many per remote call (the batch queue). */
  deliverMany: (recordIds: readonly string[], signal?: AbortSignal) => Promise<DeliveryOutcome[]>
  dispatcher: Dispatcher
  log: Logger
  /**
   * Unordered deliveries in flight per process (default 32), fetched in batches of
   * {@link UNORDERED_BATCH}: every fetched job starts at once, none waits unstarted.
   */
  concurrency?: number
  onOutcome?: (outcome: DeliveryOutcome) => void
}

/** Longest retry delay an ordered delivery waits out inside its job. */
const MAX_IN_JOB_WAIT_MS = 30_000

/** Unordered jobs per fetch; a process runs `concurrency ÷ UNORDERED_BATCH` fetch lanes. */
const UNORDERED_BATCH = 4

/**
 * Works both delivery queues. Each job settles on its own: an unordered record that must retry later
 * is re-enqueued with its delay and its job completes; an ordered record's job fails so that pg-boss
 * retries it while it holds back the records behind it.
 */
export async function startDeliverWorkers(options: DeliverWorkerOptions): Promise<void> {
  const handle =
    (ordered: boolean) =>
    async (jobs: Job<DeliverJob>[]): Promise<JobResult[]> =>
      Promise.all(
        jobs.map(async (job): Promise<JobResult> => {
          try {
            let outcome = await options.deliver(job.data.recordId, job.signal)
            // An ordered record holds its key while it waits, so the delay (backoff, Retry-After) is
            // honoured exactly and nothing behind it overtakes; only long waits go back to pg-boss.
            while (ordered && outcome.status === 'retry' && outcome.delayMs <= MAX_IN_JOB_WAIT_MS) {
              await new Promise((r) => setTimeout(r, outcome.status === 'retry' ? outcome.delayMs : 0))
              outcome = await options.deliver(job.data.recordId, job.signal)
            }
            options.onOutcome?.(outcome)
            // An ordered record waiting for an asynchronous outcome keeps its key: its job goes back to
            // pg-boss (retry state holds the key) until the outcome arrives and wakes it (queue-dispatcher),
            // so the next record of the key is not written before this one is settled.
            if (ordered && outcome.status === 'awaiting')
              return { id: job.id, status: 'failed', output: { awaitingOutcome: true } }
            if (outcome.status !== 'retry') return { id: job.id, status: 'completed' }
            if (ordered) return { id: job.id, status: 'failed', output: { retryInMs: outcome.delayMs } }
            await options.dispatcher.retry(
              { recordId: job.data.recordId, orderKey: null, ordinal: 0n },
              outcome.delayMs,
              outcome.attempt,
            )
            return { id: job.id, status: 'completed' }
          } catch (error) {
            // Not a delivery outcome but an infrastructure failure (database gone): pg-boss retries the job.
            options.log.error('delivery job failed', { recordId: job.data.recordId, error: String(error) })
            return { id: job.id, status: 'failed', output: { error: String(error) } }
          }
        }),
      )
  const work = {
    // A process fetches only what it starts at once: by default 8 lanes of 4, so 32 deliveries in
    // flight and none held unstarted. Larger batches drain a no-op queue faster (100 × 4 matched bare pg-boss; 50 × 2
    // did 12,800/s, 4 × 8 does 4,300/s), but a process then holds jobs it cannot start — the CPU is
    // busy or a rate budget makes them wait — while a second process idles (scale-out on a CPU-bound
    // flow: 1.13× with 50 × 2, 1.46× with 4 × 8; the two-process throttling test: 346 vs 2 BC calls
    // with 100 × 4). A real delivery costs milliseconds of CPU, so 4,300 jobs/s is not the limit.
    batchSize: UNORDERED_BATCH,
    localConcurrency: Math.max(1, Math.ceil((options.concurrency ?? 32) / UNORDERED_BATCH)),
    burstWhenBatchFull: true,
    perJobResults: true as const,
    pollingIntervalSeconds: 2,
    // With LISTEN/NOTIFY on, the idle poll backs off to 30 s by default; retries (deferred jobs) are
    // only found by polling, so keep it short.
    notifyPollingIntervalSeconds: 2,
  }
  // The unordered queue settles a batch in pg-boss's plain completion (no per-job outputs): the few
  // jobs that failed (infrastructure errors) are failed first, and completion only touches jobs still
  // active, so they keep their retry.
  const unordered = handle(false)
  const { perJobResults: _, ...plain } = work
  await options.boss.work<DeliverJob>(QUEUES.deliver, plain, async (jobs) => {
    const failed = (await unordered(jobs)).filter((r) => r.status === 'failed')
    if (failed.length > 0)
      await options.boss.fail(
        QUEUES.deliver,
        failed.map((r) => r.id),
        { error: 'infrastructure failure during delivery; see the worker log' },
      )
  })
  // Batching flows (master data): one fetch of up to 200 is one deliverMany, i.e. imports of up to the
  // target's maxBatch with two statements per chunk. Four lanes, because an import's outcome is read
  // after a wait (Basware's requestStatus) during which the database and CPU are free for the next one.
  await options.boss.work<DeliverJob>(
    QUEUES.deliverBatch,
    { ...plain, batchSize: 200, localConcurrency: 8 },
    async (jobs) => {
      let outcomes: DeliveryOutcome[]
      try {
        outcomes = await options.deliverMany(
          jobs.map((j) => j.data.recordId),
          AbortSignal.any(jobs.map((j) => j.signal)),
        )
      } catch (error) {
        options.log.error('batch delivery failed', { jobs: jobs.length, error: String(error) })
        throw error
      }
      for (const [i, outcome] of outcomes.entries()) {
        options.onOutcome?.(outcome)
        if (outcome.status === 'retry')
          await options.dispatcher.retry(
            { recordId: jobs[i]!.data.recordId, orderKey: null, ordinal: 0n },
            outcome.delayMs,
            outcome.attempt,
          )
      }
    },
  )
  // A FIFO fetch returns at most one job per key, so a batch is rarely full and burst mode never
  // starts; and a key's next record becomes fetchable only when its predecessor completes (no insert,
  // no NOTIFY). So each FIFO worker wakes itself after a batch that completed something: the next
  // records of those keys are fetched at once instead of after a poll interval.
  // Up to 16 keys per fetch (one job each), two FIFO workers per process.
  const fifo = {
    ...work,
    batchSize: 16,
    localConcurrency: 1,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 0.5,
  }
  for (let i = 0; i < 2; i++) {
    let workerId: string | undefined
    const ordered = handle(true)
    workerId = await options.boss.work<DeliverJob>(QUEUES.deliverOrdered, fifo, async (jobs) => {
      const results = await ordered(jobs)
      if (workerId && results.some((r) => r.status === 'completed')) options.boss.notifyWorker(workerId)
      return results
    })
  }
}

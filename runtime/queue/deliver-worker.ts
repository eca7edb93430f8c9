import type { Job, PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'
import type { DeliveryOutcome } from '../engine/deliver/delivery.ts'
import type { Dispatcher } from '../engine/dispatcher.ts'
import { listenForNewJobs } from './listen-for-new-jobs.ts'
import { openClaimsPool } from './open-claims-pool.ts'
import { type DeliverBatchJob, type DeliverJob, RECORDS_PER_BATCH_JOB } from './queue-dispatcher.ts'
import { QUEUES } from './queues.ts'
import { type SlotOutcome, startSlotWorker } from './slot-worker.ts'

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
   * Unordered deliveries in flight per process (default 32): each fetch asks for exactly the slots
   * free, every fetched job starts at once, none waits unstarted.
   */
  concurrency?: number
  onOutcome?: (outcome: DeliveryOutcome) => void
  /**
   * When given, the slot workers claim and settle on their own small pool with asynchronous commit
   * (open-claims-pool.ts); without it, on pg-boss's pool, each claim waiting for its WAL flush.
   */
  connectionString?: string
}

/** Records a batch-queue fetch brings at most: one import of a typical target's maxBatch (Basware: 200). */
const RECORDS_PER_BATCH_FETCH = 200

/** Longest retry delay an ordered delivery waits out inside its job. */
const MAX_IN_JOB_WAIT_MS = 30_000

/** Ordered deliveries in flight per process: one job per key, so up to this many keys at once. */
const ORDERED_SLOTS = 32

/** The delivery workers of a process; {@link startDeliverWorkers}. */
export interface DeliverWorkers {
  /**
   * Fetches delivery jobs now (slots permitting) instead of at the next poll. For an enqueuer in this
   * process: call it after the transaction that enqueued deliveries COMMITTED. Jobs from any process
   * wake the workers through LISTEN/NOTIFY already; this only saves that round trip.
   */
  wake(): void
  /** Stops fetching and waits up to `timeoutMs` for the deliveries in flight (then aborts them). */
  stop(timeoutMs?: number): Promise<void>
}

/**
 * Works the delivery queues. Each job settles on its own: an unordered record that must retry later
 * is re-enqueued with its delay and its job completes; an ordered record's job fails so that pg-boss
 * retries it while it holds back the records behind it.
 *
 * The single-record queues run on slot workers (slot-worker.ts): a fetch asks for exactly the slots
 * free, so a process never holds a job it has not started while another process idles (the two-process
 * throttling test), yet a no-op queue drains with one fetch and one complete per slot-full.
 */
export async function startDeliverWorkers(options: DeliverWorkerOptions): Promise<DeliverWorkers> {
  const deliverJob =
    (ordered: boolean) =>
    async (job: Job<DeliverJob>, signal: AbortSignal): Promise<SlotOutcome> => {
      try {
        let outcome = await options.deliver(job.data.recordId, signal)
        // An ordered record holds its key while it waits, so the delay (backoff, Retry-After) is
        // honoured exactly and nothing behind it overtakes; only long waits go back to pg-boss.
        while (ordered && outcome.status === 'retry' && outcome.delayMs <= MAX_IN_JOB_WAIT_MS) {
          await new Promise((r) => setTimeout(r, outcome.status === 'retry' ? outcome.delayMs : 0))
          outcome = await options.deliver(job.data.recordId, signal)
        }
        options.onOutcome?.(outcome)
        // An ordered record waiting for an asynchronous outcome keeps its key: its job goes back to
        // pg-boss (retry state holds the key) until the outcome arrives and wakes it (queue-dispatcher),
        // so the next record of the key is not written before this one is settled.
        if (ordered && outcome.status === 'awaiting')
          return { status: 'failed', output: { awaitingOutcome: true } }
        if (outcome.status !== 'retry') return { status: 'completed' }
        if (ordered) return { status: 'failed', output: { retryInMs: outcome.delayMs } }
        await options.dispatcher.retry(
          { recordId: job.data.recordId, orderKey: null, ordinal: 0n },
          outcome.delayMs,
          outcome.attempt,
        )
        return { status: 'completed' }
      } catch (error) {
        // Not a delivery outcome but an infrastructure failure (database gone): pg-boss retries the job.
        options.log.error('delivery job failed', { recordId: job.data.recordId, error: String(error) })
        return {
          status: 'failed',
          output: { error: 'infrastructure failure during delivery; see the worker log' },
        }
      }
    }
  const listener = await listenForNewJobs(options.boss, options.log)
  const claims = options.connectionString
    ? openClaimsPool(options.connectionString, { role: 'deliver' })
    : undefined
  const unordered = startSlotWorker<DeliverJob>({
    boss: options.boss,
    queue: QUEUES.deliver,
    slots: Math.max(1, options.concurrency ?? 32),
    run: deliverJob(false),
    log: options.log,
    db: claims?.db,
    // Retries (re-sent with a delay) send no NOTIFY when they become due: the poll finds them.
    pollIntervalMs: 2_000,
  })
  // A FIFO fetch returns at most one job per key, and a key's next record becomes fetchable only when
  // its predecessor's job is settled (no insert, no NOTIFY): fetchAfterSettle fetches those at once.
  // A held key (its job failed to wait for an outcome or a long retry) comes back after pg-boss's retry
  // delay, which only a poll notices, hence the shorter one.
  const ordered = startSlotWorker<DeliverJob>({
    boss: options.boss,
    queue: QUEUES.deliverOrdered,
    slots: ORDERED_SLOTS,
    run: deliverJob(true),
    log: options.log,
    db: claims?.db,
    pollIntervalMs: 500,
    fetchAfterSettle: true,
  })
  listener.on(QUEUES.deliver, unordered.wake)
  listener.on(QUEUES.deliverOrdered, ordered.wake)
  // Batching flows (master data): one fetch of up to 200 records (jobs of up to 25, queue-dispatcher)
  // is one deliverMany, i.e. about one import of the target's maxBatch, with two statements per chunk.
  // Eight lanes, because an import's outcome is read after a wait (Basware's requestStatus) during
  // which the database and CPU are free for the next one.
  await options.boss.work<DeliverBatchJob>(
    QUEUES.deliverBatch,
    {
      batchSize: RECORDS_PER_BATCH_FETCH / RECORDS_PER_BATCH_JOB,
      localConcurrency: 8,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 2,
      // With LISTEN/NOTIFY on, the idle poll backs off to 30 s by default; retries (deferred jobs) are
      // only found by polling, so keep it short.
      notifyPollingIntervalSeconds: 2,
    },
    async (jobs) => {
      const recordIds = jobs.flatMap((j) => ('recordIds' in j.data ? j.data.recordIds : [j.data.recordId]))
      let outcomes: DeliveryOutcome[]
      try {
        outcomes = await options.deliverMany(
          recordIds,
          jobs.length === 1 ? jobs[0]!.signal : AbortSignal.any(jobs.map((j) => j.signal)),
        )
      } catch (error) {
        options.log.error('batch delivery failed', { records: recordIds.length, error: String(error) })
        throw error
      }
      for (const [i, outcome] of outcomes.entries()) {
        options.onOutcome?.(outcome)
        if (outcome.status === 'retry')
          await options.dispatcher.retry(
            { recordId: recordIds[i]!, orderKey: null, ordinal: 0n },
            outcome.delayMs,
            outcome.attempt,
          )
      }
    },
  )
  return {
    wake() {
      unordered.wake()
      ordered.wake()
    },
    async stop(timeoutMs) {
      await Promise.all([
        unordered.stop(timeoutMs),
        ordered.stop(timeoutMs),
        options.boss.offWork(QUEUES.deliverBatch, { wait: true }),
      ])
      await listener.close()
      await claims?.close()
    },
  }
}

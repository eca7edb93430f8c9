import type { Kysely } from 'kysely'
import { fromKysely, type PgBoss } from 'pg-boss'
import { sortableId } from '../../core/record/record-id.ts'
import type { DeliveryTicket, Dispatcher } from '../engine/dispatcher.ts'
import type { Database } from '../store/database.ts'
import { stampJobsCreatedNow, wakeRetryingJobs } from '../store/delivery-jobs-store.ts'
import { QUEUES } from './queues.ts'

/**
 * An ordered record handed over again while its own job still holds its key (waiting in pg-boss's
 * retry state for an asynchronous outcome, see deliver-worker) is not enqueued behind the records
 * queued after it: that job is made due now and delivers it. Returns the records so woken.
 */
async function wakeHeldJobs(
  trx: Kysely<Database>,
  flowId: string,
  tickets: readonly DeliveryTicket[],
): Promise<Set<string>> {
  const ordered = tickets.filter((t) => t.orderKey !== null && t.reason !== undefined)
  if (ordered.length === 0) return new Set()
  return wakeRetryingJobs(trx, QUEUES.deliverOrdered, {
    singletonKeys: ordered.map((t) => `${flowId}:${t.orderKey}`),
    recordIds: ordered.map((t) => t.recordId),
  })
}

/**
 * A key's jobs run in `created_on` order, then by id (sortable by source order). pg-boss sets
 * `created_on` to the transaction's start, but pages of one flow store their records one at a time
 * under the flow's lock (see flowModeForPage): a transaction that began earlier can take a later
 * place in source order. So the jobs of one hand-over get the moment they were queued, taken once
 * under that lock: later in source order is later in time, and ids order the rest.
 */
async function stampEnqueueTime(trx: Kysely<Database>, jobs: readonly { id: string }[]): Promise<void> {
  await stampJobsCreatedNow(
    trx,
    QUEUES.deliverOrdered,
    jobs.map((j) => j.id),
  )
}

/** Job data of a delivery. */
export interface DeliverJob {
  recordId: string
}

/**
 * Job data on the batch queue: the records of one hand-over, up to {@link RECORDS_PER_BATCH_JOB}
 * (`recordId` alone: a job queued by an earlier Ferry, one record).
 */
export type DeliverBatchJob = { recordIds: string[] } | DeliverJob

/**
 * Records per batch-queue job. A job per record cost each record a job row inserted, fetched,
 * heartbeated and completed; a job per chunk costs that once for many. Small enough that a worker
 * fetching a few jobs at once (deliver-worker) gets about one target import's worth, and hand-overs
 * of one record (webhooks) still share an import.
 */
export const RECORDS_PER_BATCH_JOB = 25

/**
 * The batch-queue jobs of a hand-over: its records in source order, {@link RECORDS_PER_BATCH_JOB} a
 * job. Each id derives from the job's first record (and the hand-over's reason), so it is as
 * deterministic as a one-record job's: re-enqueueing the same hand-over adds nothing.
 */
function batchJobs(tickets: readonly DeliveryTicket[]) {
  const jobs: { id: string; data: DeliverBatchJob }[] = []
  for (let i = 0; i < tickets.length; i += RECORDS_PER_BATCH_JOB) {
    const chunk = tickets.slice(i, i + RECORDS_PER_BATCH_JOB)
    const first = chunk[0]!
    jobs.push({
      id: sortableId(first.ordinal, first.recordId, first.reason ?? '0', 'batch'),
      data: { recordIds: chunk.map((t) => t.recordId) },
    })
  }
  return jobs
}

/**
 * Hands records to the workers through pg-boss, in the same transaction that stored them. Job ids
 * are deterministic (re-reading a page enqueues nothing twice) and sortable by source order, so a
 * per-key FIFO queue keeps the source's order even for jobs inserted in one statement.
 */
export function queueDispatcher(boss: PgBoss): Dispatcher {
  const jobFor = (flowId: string, t: DeliveryTicket) => ({
    id: sortableId(t.ordinal, t.recordId, t.reason ?? '0'),
    data: { recordId: t.recordId } satisfies DeliverJob,
    ...(t.orderKey === null ? {} : { singletonKey: `${flowId}:${t.orderKey}` }),
  })
  return {
    async enqueue(trx, flowId, tickets) {
      if (tickets.length === 0) return
      const queueOf = (t: DeliveryTicket) =>
        t.orderKey !== null ? QUEUES.deliverOrdered : t.batch ? QUEUES.deliverBatch : QUEUES.deliver
      const db = fromKysely(trx)
      const held = await wakeHeldJobs(trx, flowId, tickets)
      for (const queue of [QUEUES.deliver, QUEUES.deliverBatch, QUEUES.deliverOrdered]) {
        const handed = tickets.filter((t) => queueOf(t) === queue && !held.has(t.recordId))
        const jobs = queue === QUEUES.deliverBatch ? batchJobs(handed) : handed.map((t) => jobFor(flowId, t))
        for (let i = 0; i < jobs.length; i += 1000) await boss.insert(queue, jobs.slice(i, i + 1000), { db })
        if (queue === QUEUES.deliverOrdered && jobs.length > 0) await stampEnqueueTime(trx, jobs)
      }
    },
    async retry(ticket, delayMs, attempt) {
      // Ordered records retry through pg-boss (the failed job holds its key); see deliver-worker.
      await boss.send(QUEUES.deliver, { recordId: ticket.recordId } satisfies DeliverJob, {
        id: sortableId(ticket.ordinal, ticket.recordId, String(attempt)),
        startAfter: Math.max(1, Math.ceil(delayMs / 1000)),
      })
    },
  }
}

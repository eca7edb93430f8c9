import type { PgBoss } from 'pg-boss'

/** The queues Ferry uses, by purpose. */
export const QUEUES = {
  /** Deliver one record (job data: { recordId }). */
  deliver: 'ferry-deliver',
  /** Deliver records of flows whose target writes many per call (job data: { recordId }; fetched 200 at a time). */
  deliverBatch: 'ferry-deliver-batch',
  /** Deliver one record of a flow with `order:` (per-key FIFO; singletonKey = flow + order key). */
  deliverOrdered: 'ferry-deliver-ordered',
  /** Run a flow: read its source (scheduled, webhook, API, backfill). */
  flowRun: 'ferry-flow-run',
  /** Process one stored webhook delivery. */
  webhook: 'ferry-webhook',
  /** Periodic upkeep: poll pending outcomes, renew subscriptions, start scheduled reconciliations. */
  upkeep: 'ferry-upkeep',
  /** Run one reconciliation (job data: { reconciliationId }). */
  reconcile: 'ferry-reconcile',
} as const

/**
 * How long finished flow-run and upkeep jobs are kept: long enough to inspect a recent run, short
 * enough that polling every minute does not pile up a week of jobs (pg-boss keeps 7 days by default).
 */
const FINISHED_RUN_JOBS_KEPT_SECONDS = 3600

/**
 * An ordered job is never given up by pg-boss: a job that ends `failed` would block its key for good
 * (key_strict_fifo), and an ordered job also goes back to pg-boss while its record waits for an
 * asynchronous outcome (up to the connector's outcome timeout, hours for MISA). The engine decides
 * when a record fails (the flow's retry limit); pg-boss only re-runs the job, at most every 30 s.
 */
const ORDERED_RETRY_LIMIT = 1_000_000

/**
 * Creates the queues (idempotent). Delivery retries are decided by the engine from the connector's
 * error kind; pg-boss's own retry is only the safety net for a worker that died mid-job, which the
 * heartbeat detects within seconds.
 */
export async function createQueues(boss: PgBoss): Promise<void> {
  const deliver = {
    notify: true,
    retryLimit: 20,
    // A worker killed mid-job leaves its jobs active until the heartbeat lapses (10 s); after that they
    // must come back soon, even after several crashes in a row (an ordered job holds its key meanwhile):
    // backoff from 2 s, at most 30 s. Delivery errors are retried by the engine, not by this.
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 30,
    expireInSeconds: 600,
    heartbeatSeconds: 10,
  }
  await boss.createQueue(QUEUES.deliver, { policy: 'standard', ...deliver })
  await boss.createQueue(QUEUES.deliverBatch, { policy: 'standard', ...deliver })
  await boss.createQueue(QUEUES.deliverOrdered, {
    policy: 'key_strict_fifo',
    ...deliver,
    retryLimit: ORDERED_RETRY_LIMIT,
  })
  // stately: one queued + one active run per flow and scope; further triggers coalesce into the queued one.
  await boss.createQueue(QUEUES.flowRun, {
    policy: 'stately',
    notify: true,
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 3600,
    heartbeatSeconds: 30,
    deleteAfterSeconds: FINISHED_RUN_JOBS_KEPT_SECONDS,
  })
  await boss.createQueue(QUEUES.webhook, {
    policy: 'standard',
    notify: true,
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
  })
  await boss.createQueue(QUEUES.upkeep, {
    policy: 'stately',
    retryLimit: 1,
    deleteAfterSeconds: FINISHED_RUN_JOBS_KEPT_SECONDS,
  })
  // A reconciliation reads whole periods from remote systems: minutes, not seconds; a dead worker's is re-run.
  await boss.createQueue(QUEUES.reconcile, {
    policy: 'standard',
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 3600,
    heartbeatSeconds: 30,
    deleteAfterSeconds: FINISHED_RUN_JOBS_KEPT_SECONDS,
  })
  // createQueue leaves an existing queue's options alone: queues made by an earlier Ferry get the new retention here.
  for (const name of [QUEUES.flowRun, QUEUES.upkeep])
    await boss.updateQueue(name, { deleteAfterSeconds: FINISHED_RUN_JOBS_KEPT_SECONDS })
  for (const name of [QUEUES.deliver, QUEUES.deliverBatch, QUEUES.deliverOrdered])
    await boss.updateQueue(name, {
      retryDelay: deliver.retryDelay,
      retryBackoff: deliver.retryBackoff,
      retryDelayMax: deliver.retryDelayMax,
      ...(name === QUEUES.deliverOrdered ? { retryLimit: ORDERED_RETRY_LIMIT } : {}),
    })
}

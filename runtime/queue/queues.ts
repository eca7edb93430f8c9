import type { PgBoss } from 'pg-boss'

/** The queues Ferry uses, by purpose. */
export const QUEUES = {
  /** Deliver one record (job data: { recordId }). */
  deliver: 'ferry-deliver',
  /** Deliver one record of a flow with `order:` (per-key FIFO; singletonKey = flow + order key). */
  deliverOrdered: 'ferry-deliver-ordered',
  /** Run a flow: read its source (scheduled, webhook, API, backfill). */
  flowRun: 'ferry-flow-run',
  /** Process one stored webhook delivery. */
  webhook: 'ferry-webhook',
  /** Periodic upkeep: poll pending outcomes, renew subscriptions. */
  upkeep: 'ferry-upkeep',
} as const

/**
 * Creates the queues (idempotent). Delivery retries are decided by the engine from the connector's
 * error kind; pg-boss's own retry is only the safety net for a worker that died mid-job, which the
 * heartbeat detects within seconds.
 */
export async function createQueues(boss: PgBoss): Promise<void> {
  const deliver = {
    notify: true,
    retryLimit: 20,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 900,
    expireInSeconds: 600,
    heartbeatSeconds: 10,
  }
  await boss.createQueue(QUEUES.deliver, { policy: 'standard', ...deliver })
  await boss.createQueue(QUEUES.deliverOrdered, { policy: 'key_strict_fifo', ...deliver })
  // stately: one queued + one active run per flow and scope; further triggers coalesce into the queued one.
  await boss.createQueue(QUEUES.flowRun, {
    policy: 'stately',
    notify: true,
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 3600,
    heartbeatSeconds: 30,
  })
  await boss.createQueue(QUEUES.webhook, {
    policy: 'standard',
    notify: true,
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
  })
  await boss.createQueue(QUEUES.upkeep, { policy: 'stately', retryLimit: 1 })
}

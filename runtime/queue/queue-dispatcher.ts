import { fromKysely, type PgBoss } from 'pg-boss'
import { sortableId } from '../../core/record/record-id.ts'
import type { DeliveryTicket, Dispatcher } from '../engine/dispatcher.ts'
import { QUEUES } from './queues.ts'

/** Job data of a delivery. */
export interface DeliverJob {
  recordId: string
}

/**
 * Hands records to the workers through pg-boss, in the same transaction that stored them. Job ids
 * are deterministic (re-reading a page enqueues nothing twice) and sortable by source order, so a
 * per-key FIFO queue keeps the source's order even for jobs inserted in one statement.
 */
export function queueDispatcher(boss: PgBoss): Dispatcher {
  const jobFor = (flowId: string, t: DeliveryTicket, attempt: number) => ({
    id: sortableId(t.ordinal, t.recordId, String(attempt)),
    data: { recordId: t.recordId } satisfies DeliverJob,
    ...(t.orderKey === null ? {} : { singletonKey: `${flowId}:${t.orderKey}` }),
  })
  return {
    async enqueue(trx, flowId, tickets) {
      if (tickets.length === 0) return
      const queueOf = (t: DeliveryTicket) =>
        t.orderKey !== null ? QUEUES.deliverOrdered : t.batch ? QUEUES.deliverBatch : QUEUES.deliver
      const db = fromKysely(trx)
      for (const queue of [QUEUES.deliver, QUEUES.deliverBatch, QUEUES.deliverOrdered]) {
        const jobs = tickets.filter((t) => queueOf(t) === queue).map((t) => jobFor(flowId, t, 0))
        for (let i = 0; i < jobs.length; i += 1000) await boss.insert(queue, jobs.slice(i, i + 1000), { db })
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

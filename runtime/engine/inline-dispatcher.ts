import type { DeliveryOutcome } from './deliver/delivery.ts'
import type { DeliveryTicket, Dispatcher } from './dispatcher.ts'

/** Counts of how deliveries ended. */
export type DeliveryCounts = Record<DeliveryOutcome['status'] | 'retried', number>

/**
 * Delivers in this process right after each page commits (`ferry run --once`, tests). Retries wait
 * in-process, at most `maxRetryWaitMs` each, so a one-shot run finishes.
 */
export function inlineDispatcher(
  deliver: (recordId: string) => Promise<DeliveryOutcome>,
  options: {
    concurrency?: number
    maxRetryWaitMs?: number
    /** Delivers the records of batching flows many per call (tickets marked `batch`). */
    deliverMany?: (recordIds: readonly string[]) => Promise<DeliveryOutcome[]>
  } = {},
): Dispatcher & { counts: DeliveryCounts } {
  const counts: DeliveryCounts = {
    delivered: 0,
    skipped: 0,
    awaiting: 0,
    failed: 0,
    settled: 0,
    shadowed: 0,
    retry: 0,
    retried: 0,
  }
  const concurrency = options.concurrency ?? 4
  const maxWait = options.maxRetryWaitMs ?? 2_000

  /** Delivers (or takes the outcome of a delivery already made) and retries until the record settles. */
  async function deliverUntilSettled(ticket: DeliveryTicket, first?: DeliveryOutcome) {
    let outcome = first ?? (await deliver(ticket.recordId))
    while (outcome.status === 'retry') {
      counts.retried++
      await new Promise((r) =>
        setTimeout(r, Math.min(outcome.status === 'retry' ? outcome.delayMs : 0, maxWait)),
      )
      outcome = await deliver(ticket.recordId)
    }
    counts[outcome.status]++
  }

  async function deliverAll(all: DeliveryTicket[]) {
    const deliverMany = options.deliverMany
    const batched = deliverMany ? all.filter((t) => t.batch) : []
    const tickets = deliverMany ? all.filter((t) => !t.batch) : all
    // A whole page at once: deliverMany chunks by the target's maxBatch; retries go one by one.
    if (batched.length > 0) {
      const outcomes = await deliverMany!(batched.map((t) => t.recordId))
      for (const [i, outcome] of outcomes.entries()) await deliverUntilSettled(batched[i]!, outcome)
    }
    // Same order key → one after another, in source order; different keys in parallel.
    const lanes = new Map<string, DeliveryTicket[]>()
    for (const t of tickets) {
      const lane = t.orderKey ?? t.recordId
      lanes.set(lane, [...(lanes.get(lane) ?? []), t])
    }
    const queue = [...lanes.values()]
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const t of lane) await deliverUntilSettled(t)
      }
    })
    await Promise.all(workers)
  }

  return {
    counts,
    async enqueue() {},
    afterCommit: deliverAll,
    async retry(ticket) {
      await deliverUntilSettled(ticket)
    },
  }
}

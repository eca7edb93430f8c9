import type { Kysely } from 'kysely'
import type { Database } from '../store/database.ts'

/** A record to hand to delivery, with what ordering needs. */
export interface DeliveryTicket {
  recordId: string
  /** Per-key FIFO key (the manifest's `order`), or null. */
  orderKey: string | null
  /** Position in the source order, for sortable job ids. */
  ordinal: number
  /** The flow's target takes records in batches (see `takesBatches`): deliver it with others of its flow. */
  batch?: boolean
}

/**
 * Hands records to delivery. The queue dispatcher enqueues pg-boss jobs inside the page
 * transaction; the inline dispatcher (`ferry run --once`) delivers in-process after the commit.
 */
export interface Dispatcher {
  /** Called inside the transaction that stored the records, so jobs and records commit together. */
  enqueue(trx: Kysely<Database>, flowId: string, tickets: DeliveryTicket[]): Promise<void>
  /** Called after that transaction committed. */
  afterCommit?(tickets: DeliveryTicket[]): Promise<void>
  /** Delivers a record again after `delayMs` (a retry). */
  retry(ticket: DeliveryTicket, delayMs: number, attempt: number): Promise<void>
}

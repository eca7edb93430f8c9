import type { Kysely } from 'kysely'
import type { Database } from '../store/database.ts'

/** A record to hand to delivery, with what ordering needs. */
export interface DeliveryTicket {
  recordId: string
  /** Per-key FIFO key (the manifest's `order`), or null. */
  orderKey: string | null
  /** Position in source order (the record's `seq`), for sortable job ids; 0 where order does not matter. */
  ordinal: bigint
  /** The flow's target takes records in batches (see `takesBatches`): deliver it with others of its flow. */
  batch?: boolean
  /**
   * Why the record is handed over again (`outcome:<attempt>`, `replay:<n>`), absent for its first
   * delivery: a record's jobs have deterministic ids, so each hand-over needs its own.
   */
  reason?: string
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

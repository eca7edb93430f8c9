import type { WriteOutcome } from '../../core/connector/connector.ts'
import { persistStep } from '../store/persist-steps.ts'
import { findByCorrelation } from '../store/records-store.ts'
import { describeFailure } from './describe-failure.ts'
import type { EngineDeps } from './engine-deps.ts'

/**
 * Applies the outcome of a pending write (a MISA callback, or a poll). The record goes back to
 * delivery with the outcome attached, so the same code runs its then-actions and acknowledgement
 * (or parks it as failed and tells the source). A duplicate or unknown outcome changes nothing.
 */
export async function completeOutcome(
  deps: EngineDeps,
  tenantId: string,
  outcome: WriteOutcome,
  via: 'callback' | 'poll',
): Promise<'completed' | 'unknown' | 'pending'> {
  if (outcome.status === 'pending') return 'pending'
  const record = await findByCorrelation(deps.db, tenantId, outcome.correlationId)
  if (record?.state !== 'awaiting') return 'unknown'
  const progress =
    outcome.status === 'done'
      ? { ...record.progress, written: { id: outcome.id ?? outcome.correlationId, number: outcome.number } }
      : { ...record.progress, remoteFailure: describeFailure(outcome.error) }
  const event = {
    type: 'outcome',
    attempt: record.attempts,
    data:
      outcome.status === 'done'
        ? { via, status: 'done', id: outcome.id, number: outcome.number }
        : { via, status: 'failed', error: progress.remoteFailure },
  }
  const moved = await persistStep(deps.db, record.id, 'awaiting', { state: 'queued', progress }, [event])
  if (!moved) return 'unknown'
  // Back through its key's queue (an ordered flow's FIFO), in its place in source order.
  const ticket = {
    recordId: record.id,
    orderKey: record.orderKey,
    ordinal: BigInt(record.seq),
    reason: `outcome:${record.attempts}`,
  }
  await deps.db.transaction().execute((trx) => deps.dispatcher.enqueue(trx, record.flowId, [ticket]))
  await deps.dispatcher.afterCommit?.([ticket])
  return 'completed'
}

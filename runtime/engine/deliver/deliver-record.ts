import type { DeliveryDeps } from '../engine-deps.ts'
import { coalescedStore } from './coalesced-store.ts'
import { type DeliveryOutcome, notDeliverable, type ProgramLoader } from './delivery.ts'
import { runSequence } from './run-sequence.ts'

/**
 * Delivers one record: the delivery {@link SEQUENCE} over a run of one. Persists twice on the happy
 * path (before the first remote write, and at the end), each time state + ledger in one statement —
 * shared with the other deliveries of this process that read or persist at the same moment.
 */
export async function deliverRecord(
  deps: DeliveryDeps,
  loadProgram: ProgramLoader,
  recordId: string,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const record = await coalescedStore(deps.db).getRecord(recordId)
  const early = notDeliverable(record)
  if (early || !record) return early ?? { status: 'settled' }
  const program = await loadProgram(record.tenantId, record.flowId, record.flowVersion)
  const [outcome] = await runSequence(deps, program, [record], { batched: false, signal })
  return outcome!
}

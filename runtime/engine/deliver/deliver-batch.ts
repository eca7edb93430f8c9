import { getRecordsById, type RecordRow } from '../../store/records-store.ts'
import type { DeliveryDeps } from '../engine-deps.ts'
import type { FlowProgram } from '../flow-program.ts'
import { takesBatches } from '../takes-batches.ts'
import { type DeliveryOutcome, notDeliverable, type ProgramLoader } from './delivery.ts'
import { runSequence } from './run-sequence.ts'

/**
 * Delivers several records with as few remote calls as their targets allow: the fresh records of a
 * batching flow ({@link takesBatches}) run the delivery {@link SEQUENCE} in chunks of the stream's
 * `maxBatch` — one `writeMany` and two statements per chunk. Anything else (a retry, a record an
 * earlier attempt may have written, a shadow record, a flow that does not batch) runs the same
 * sequence one record at a time. Outcomes come back in the order of `recordIds`.
 */
export async function deliverBatch(
  deps: DeliveryDeps,
  loadProgram: ProgramLoader,
  recordIds: readonly string[],
  signal?: AbortSignal,
): Promise<DeliveryOutcome[]> {
  const records = await getRecordsById(deps.db, recordIds)
  const outcomes = new Map<string, DeliveryOutcome>()
  const groups = new Map<string, { program: FlowProgram; records: RecordRow[] }>()
  const singles: { program: FlowProgram; record: RecordRow }[] = []
  for (const id of recordIds) {
    const record = records.get(id)
    const early = notDeliverable(record)
    if (early || !record) {
      outcomes.set(id, early ?? { status: 'settled' })
      continue
    }
    const program = await loadProgram(record.tenantId, record.flowId, record.flowVersion)
    const fresh =
      !record.shadow &&
      record.state === 'queued' &&
      !record.writeAttempted &&
      !record.progress.written &&
      !record.progress.remoteFailure
    if (!fresh || !takesBatches(program)) {
      singles.push({ program, record })
      continue
    }
    const key = `${record.flowId}:${record.flowVersion}`
    const group = groups.get(key) ?? { program, records: [] }
    group.records.push(record)
    groups.set(key, group)
  }
  const settle = (chunk: readonly RecordRow[], results: DeliveryOutcome[]) => {
    for (const [i, record] of chunk.entries()) outcomes.set(record.id, results[i]!)
  }
  for (const { program, records: members } of groups.values()) {
    const size = program.target.stream.maxBatch!
    for (let i = 0; i < members.length; i += size) {
      const chunk = members.slice(i, i + size)
      settle(chunk, await runSequence(deps, program, chunk, { batched: true, signal }))
    }
  }
  for (const { program, record } of singles)
    settle([record], await runSequence(deps, program, [record], { batched: false, signal }))
  return recordIds.map((id) => outcomes.get(id) ?? { status: 'settled' })
}

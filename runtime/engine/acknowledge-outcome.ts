import type { ConnectorContext } from '../../core/connector/connector.ts'
import { idempotencyKey } from '../../core/record/record-id.ts'
import type { LedgerEvent } from '../store/ledger-store.ts'
import type { RecordRow } from '../store/records-store.ts'
import type { FlowProgram } from './flow-program.ts'

/** The outcome a flow's `acknowledge.map` sees as `$result`. */
export interface OutcomeForSource {
  ok: boolean
  id?: string
  number?: string
  code?: string
  message?: string
}

/**
 * Tells the source what happened (Basware transfer response). A success has one stable idempotency
 * key per record version; each failure gets its own, since replays may fail again with a new message.
 */
export async function acknowledgeOutcome(
  program: FlowProgram,
  sourceCtx: ConnectorContext,
  record: RecordRow,
  result: OutcomeForSource,
  step: {
    add(type: string, data: Record<string, unknown>, startedAt?: number): void
    events?: LedgerEvent[]
  },
): Promise<void> {
  if (!program.acknowledge || !program.acknowledgeMap) return
  const t0 = performance.now()
  const payload = (await program.acknowledgeMap.evaluate(
    { record: record.source, result },
    { recordKey: record.sourceKey, vars: { result, record: record.source } },
  )) as Record<string, unknown>
  const purpose = result.ok ? 'ack:success' : `ack:failure:${record.attempts + 1}`
  const sent = await program.acknowledge.operation.send(sourceCtx, {
    record: record.source,
    payload,
    idempotencyKey: idempotencyKey(record.id, purpose),
  })
  step.add(
    'acknowledged',
    { operation: program.manifest.acknowledge!.operation, ok: result.ok, payload, calls: sent.calls },
    t0,
  )
}

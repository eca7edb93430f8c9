import type { ConnectorContext } from '../../core/connector/connector.ts'
import type { RecordProgress } from '../store/database.ts'
import type { RecordRow } from '../store/records-store.ts'
import { describeFailure } from './describe-failure.ts'
import type { FlowProgram } from './flow-program.ts'
import type { LedgerStep } from './ledger-step.ts'

/**
 * Claims a record Ferry holds past its first attempt (retrying, awaiting an outcome, parked). A record
 * delivered at once is never claimed: its acknowledgement already ends it at the source and the ledger
 * prevents a second delivery, so claiming it would only cost one more source call per record.
 * Best effort: a claim that fails is noted and the delivery goes on.
 */
export async function claimHeldRecord(
  program: FlowProgram,
  sourceCtx: ConnectorContext,
  record: RecordRow,
  step: LedgerStep,
  progress: RecordProgress,
): Promise<void> {
  const claim = program.source.stream.claim
  // A shadow run claims nothing at the source: the live system (or a clerk) still owns the record.
  if (record.shadow || !program.manifest.source.claim || !claim || progress.claimed) return
  const t0 = performance.now()
  try {
    step.add('claimed', { result: await claim(sourceCtx, record.source) }, t0)
    progress.claimed = true
  } catch (error) {
    step.add('claim_failed', { error: describeFailure(error) }, t0)
  }
}

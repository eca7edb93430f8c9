import type { ConnectorContext } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { isMappingError, isTransientMappingError } from '../../core/mapping/mapping-error.ts'
import type { RecordState } from '../../core/record/record-state.ts'
import type { RecordProgress } from '../store/database.ts'
import { persistStep } from '../store/persist-steps.ts'
import type { RecordRow } from '../store/records-store.ts'
import { acknowledgeOutcome } from './acknowledge-outcome.ts'
import { claimHeldRecord } from './claim-held-record.ts'
import type { DeliveryOutcome } from './deliver/delivery.ts'
import { describeFailure } from './describe-failure.ts'
import type { DeliveryDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import type { LedgerStep } from './ledger-step.ts'
import { retryDelay } from './retry-delay.ts'

/**
 * Ends a delivery attempt that threw: schedules a retry when the error is retryable and attempts
 * remain, otherwise fails the record (telling the source when the flow acknowledges failures, or
 * claiming it so nobody else takes it meanwhile). The attempt's ledger events go in the same statement.
 */
export async function settleFailure(
  deps: DeliveryDeps,
  program: FlowProgram,
  record: RecordRow,
  f: {
    error: unknown
    attempt: number
    step: LedgerStep
    progress: RecordProgress
    state: RecordState
    sourceCtx: ConnectorContext
  },
): Promise<DeliveryOutcome> {
  const failure = describeFailure(f.error)
  const retryable = isConnectorError(f.error)
    ? f.error.retryable || f.error.kind === 'conflict'
    : isMappingError(f.error)
      ? isTransientMappingError(f.error)
      : failure.kind === 'internal'
  let from = f.state
  if (retryable && f.attempt <= program.retry.limit) {
    const delayMs = retryDelay(
      program.retry,
      f.attempt,
      isConnectorError(f.error) ? f.error.retryAfterMs : undefined,
    )
    f.step.add('retry', { error: failure, delayMs })
    await claimHeldRecord(program, f.sourceCtx, record, f.step, f.progress)
    const patch = { state: 'delivering' as const, attempts: f.attempt, error: failure, progress: f.progress }
    const ok = await persistStep(deps.db, record.id, from, patch, f.step.take())
    return ok ? { status: 'retry', delayMs, attempt: f.attempt } : { status: 'settled' }
  }
  if (from === 'queued') {
    // A record fails from `delivering` only (the state table); mapping failed before it got there.
    if (!(await persistStep(deps.db, record.id, from, { state: 'delivering' }, [])))
      return { status: 'settled' }
    from = 'delivering'
  }
  f.step.add('failed', { error: failure, gaveUp: retryable })
  // A shadow record tells the source nothing: the failure is what the sample period is for.
  if (program.acknowledge?.on.includes('failure') && !f.progress.acknowledged && !record.shadow) {
    try {
      await acknowledgeOutcome(
        program,
        f.sourceCtx,
        record,
        {
          ok: false,
          code: failure.remoteCode ?? failure.code,
          message: failure.remoteMessage ?? failure.message,
        },
        f.step,
      )
      f.progress.acknowledged = true
    } catch (ackError) {
      f.step.add('acknowledge_failed', { error: describeFailure(ackError) })
    }
  }
  // Parked without telling the source: claim it, so it is not handed to anyone else meanwhile.
  if (!f.progress.acknowledged) await claimHeldRecord(program, f.sourceCtx, record, f.step, f.progress)
  const ok = await persistStep(
    deps.db,
    record.id,
    from,
    { state: 'failed', attempts: f.attempt, error: failure, progress: f.progress },
    f.step.take(),
  )
  return { status: ok ? 'failed' : 'settled' }
}

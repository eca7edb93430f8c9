import type { RecordRow } from '../../store/records-store.ts'
import type { DeliveryDeps } from '../engine-deps.ts'
import type { FlowProgram } from '../flow-program.ts'
import { LedgerStep } from '../ledger-step.ts'
import { acknowledgeStep } from './acknowledge-step.ts'
import { createMissingStep } from './create-missing-step.ts'
import type { DeliveryOutcome, DeliveryRun } from './delivery.ts'
import { findStep } from './find-step.ts'
import { mapStep } from './map-step.ts'
import { settleStep } from './settle-step.ts'
import { thenStep } from './then-step.ts'
import { writeStep } from './write-step.ts'

/** The names of the delivery steps, in the order every delivery runs them. */
export type DeliveryStepName = 'create-missing' | 'map' | 'find' | 'write' | 'then' | 'acknowledge' | 'settle'

/**
 * THE delivery order, written once: the one-record and the batch paths both run it; they differ only
 * in how many records a step carries. Each step works on the records still moving (see `moving`).
 */
export const SEQUENCE: readonly (readonly [DeliveryStepName, (run: DeliveryRun) => Promise<void>])[] = [
  ['create-missing', createMissingStep],
  ['map', mapStep],
  ['find', findStep],
  ['write', writeStep],
  ['then', thenStep],
  ['acknowledge', acknowledgeStep],
  ['settle', settleStep],
]

/**
 * Runs {@link SEQUENCE} over records of one flow version that are `queued` or `delivering`, resuming
 * whatever an earlier attempt already finished, so that running it any number of times has the
 * effect of running it once. `signal` (the job's) ends the connector calls the steps make. Outcomes
 * come back in the order of `records`.
 */
export async function runSequence(
  deps: DeliveryDeps,
  program: FlowProgram,
  records: readonly RecordRow[],
  options: { batched: boolean; signal?: AbortSignal },
): Promise<DeliveryOutcome[]> {
  const target = await deps.contexts.get(program.target.connectionId, options.signal)
  const source = await deps.contexts.get(program.source.connectionId, options.signal)
  const secrets = [...target.secrets, ...source.secrets]
  const batch = options.batched ? { batch: records.length } : {}
  const run: DeliveryRun = {
    deps,
    program,
    target,
    source,
    lookup: deps.lookups.resolver(program),
    batched: options.batched,
    deliverOther: (other, rows) => runSequence(deps, other, rows, { batched: false, signal: options.signal }),
    deliveries: records.map((record) => {
      const step = new LedgerStep(record.attempts + 1, secrets)
      step.add('attempt', { flowVersion: program.version, ...batch })
      return {
        record,
        attempt: record.attempts + 1,
        step,
        progress: { ...record.progress },
        state: record.state,
        found: null,
        written: record.progress.written,
      }
    }),
  }
  for (const [name, step] of SEQUENCE) {
    deps.traceStep?.(name, run.deliveries.filter((d) => d.outcome === undefined).length)
    await step(run)
  }
  return run.deliveries.map((d) => d.outcome ?? { status: 'settled' })
}

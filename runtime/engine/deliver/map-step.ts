import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { type DeliveryRun, forEachMoving, moving } from './delivery.ts'

/**
 * Step 1: the flow's `when` filter and its `map`, all the run's records in one hop to the mapping pool
 * — the one place delivery calls the program's mappings. A filtered-out record ends `skipped`.
 * An attempt that resumes after a failed asynchronous outcome fails here, before mapping, with the
 * target's words.
 */
export async function mapStep(run: DeliveryRun): Promise<void> {
  const { program } = run
  // The records to map go to the mapping pool together, `when` and `map` in the same hop.
  const toMap = run.deliveries.filter((d) => moving(d) && !d.progress.remoteFailure)
  const t0 = performance.now()
  const mapped = await program.mapMany(
    toMap.map((d) => ({ source: d.record.source, recordKey: d.record.sourceKey })),
    run.lookup,
  )
  const outcomes = new Map(toMap.map((d, i) => [d, mapped[i]!]))
  await forEachMoving(run, async (d) => {
    const remote = d.progress.remoteFailure as
      | { kind?: string; message?: string; remoteCode?: string; remoteMessage?: string }
      | undefined
    if (remote) {
      d.progress.remoteFailure = undefined
      // A transient outcome (e.g. no answer in time) retries the write; the same idempotency key replaces the proposal.
      const kind = remote.kind === 'transient' || remote.kind === 'rate_limited' ? 'transient' : 'rejected'
      throw new ConnectorError(kind, remote.message ?? 'the target refused the record', {
        remoteCode: remote.remoteCode,
        remoteMessage: remote.remoteMessage,
      })
    }
    const outcome = outcomes.get(d)!
    if (outcome.skipped) {
      d.step.add('skipped', { reason: 'the flow’s `when` filter is false for this record' })
      d.end = {
        patch: { state: 'skipped', attempts: d.attempt, error: null },
        outcome: { status: 'skipped' },
      }
      return
    }
    if (!outcome.ok) throw outcome.error
    d.mapped = outcome.value as Record<string, unknown>
    d.step.add('mapped', { record: d.mapped }, t0)
  })
}

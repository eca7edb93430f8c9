import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { type DeliveryRun, forEachMoving } from './delivery.ts'

/**
 * Step 1: the flow's `when` filter and its `map`, record by record — the one place delivery calls the
 * program's mappings. A filtered-out record ends `skipped`. An attempt that resumes after a failed
 * asynchronous outcome fails here, before mapping, with the target's words.
 */
export async function mapStep(run: DeliveryRun): Promise<void> {
  const { program } = run
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
    const bindings = { recordKey: d.record.sourceKey, lookup: run.lookup }
    if (program.when && !(await program.when.evaluate(d.record.source, bindings))) {
      d.step.add('skipped', { reason: 'the flow’s `when` filter is false for this record' })
      d.end = {
        patch: { state: 'skipped', attempts: d.attempt, error: null },
        outcome: { status: 'skipped' },
      }
      return
    }
    const t0 = performance.now()
    d.mapped = (await program.map.evaluate(d.record.source, bindings)) as Record<string, unknown>
    d.step.add('mapped', { record: d.mapped }, t0)
  })
}

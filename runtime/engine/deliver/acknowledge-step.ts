import { acknowledgeOutcome } from '../acknowledge-outcome.ts'
import { type DeliveryRun, forEachMoving } from './delivery.ts'

/** Step 5: tells the source the record is delivered, when the flow acknowledges success (once). */
export async function acknowledgeStep(run: DeliveryRun): Promise<void> {
  const { program } = run
  if (!program.acknowledge?.on.includes('success')) return
  await forEachMoving(run, async (d) => {
    if (d.progress.acknowledged) return
    const { id, number } = d.written!
    await acknowledgeOutcome(program, run.source.ctx, d.record, { ok: true, id, number }, d.step)
    d.progress.acknowledged = true
  })
}

import { settleFailure } from '../settle-failure.ts'
import { type Delivery, type DeliveryEnd, type DeliveryRun, moving } from './delivery.ts'
import { persistDeliveries } from './persist-deliveries.ts'

/**
 * Step 6: ends each record's attempt. Records still moving are delivered; they and those a step ended
 * (skipped, awaiting, shadowed) are persisted together in one statement; a record a step failed is
 * retried or parked by {@link settleFailure}.
 */
export async function settleStep(run: DeliveryRun): Promise<void> {
  for (const d of run.deliveries) {
    if (!moving(d)) continue
    const { id, number } = d.written!
    d.step.add('delivered', { id, number })
    d.end = {
      patch: {
        state: 'delivered',
        attempts: d.attempt,
        targetId: id,
        targetNumber: number ?? null,
        error: null,
      },
      outcome: { status: 'delivered' },
    }
  }
  const ended = run.deliveries.filter((d) => d.outcome === undefined && d.end && !d.failure)
  const moves: { d: Delivery; patch: DeliveryEnd['patch'] }[] = ended.map((d) => ({ d, patch: d.end!.patch }))
  await persistDeliveries(run, moves)
  for (const d of ended) d.outcome ??= d.end!.outcome
  for (const d of run.deliveries) {
    if (d.outcome !== undefined || !d.failure) continue
    d.outcome = await settleFailure(run.deps, run.program, d.record, {
      error: d.failure.error,
      attempt: d.attempt,
      step: d.step,
      progress: d.progress,
      state: d.state,
      sourceCtx: run.source.ctx,
    })
  }
}

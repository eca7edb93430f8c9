import { coalescedStore } from './coalesced-store.ts'
import type { Delivery, DeliveryEnd, DeliveryRun } from './delivery.ts'

/**
 * Moves records to their next state with their progress and the ledger events collected so far, all
 * in one guarded statement (`persistSteps`, shared with other deliveries persisting at the same moment).
 * A record another worker moved first ends `settled`: that worker owns its delivery now.
 */
export async function persistDeliveries(
  run: DeliveryRun,
  moves: readonly { d: Delivery; patch: DeliveryEnd['patch'] }[],
): Promise<void> {
  if (moves.length === 0) return
  const moved = await coalescedStore(run.deps.db).persistSteps(
    moves.map(({ d, patch }) => ({
      id: d.record.id,
      from: d.state,
      patch: { ...d.unmarked, ...patch, progress: d.progress },
      events: d.step.take(),
    })),
  )
  for (const { d, patch } of moves) {
    if (moved.has(d.record.id)) {
      d.state = patch.state
      d.unmarked = undefined
    } else d.outcome = { status: 'settled' }
  }
}

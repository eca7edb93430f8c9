import { SETTLED_STATES } from '../../core/record/record-state.ts'
import type { Db } from '../../runtime/store/database.ts'
import { countByState } from '../../runtime/store/records-store.ts'

/** Records in a final state (delivered, skipped by `when`, or failed). */
export function settledCount(states: Record<string, number>): number {
  return SETTLED_STATES.reduce((sum, state) => sum + (states[state] ?? 0), 0)
}

/** Polls until `count` of a flow's records are settled; throws after `timeoutMs` with the states seen. */
export async function awaitSettled(db: Db, flowId: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const states = await countByState(db, flowId)
    if (settledCount(states) >= count) return states
    if (Date.now() > deadline)
      throw new Error(`only ${JSON.stringify(states)} of ${count} settled after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

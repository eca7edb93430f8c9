import type { Db } from '../../runtime/store/database.ts'

/** How many of a flow's records are in each state. */
export async function recordStates(db: Db, flowId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('flowId', '=', flowId)
    .groupBy('state')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
}

/** Records in a final state (delivered, skipped by `when`, or failed). */
export function settledCount(states: Record<string, number>): number {
  return (states.delivered ?? 0) + (states.skipped ?? 0) + (states.failed ?? 0)
}

/** Polls until `count` of a flow's records are settled; throws after `timeoutMs` with the states seen. */
export async function awaitSettled(db: Db, flowId: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const states = await recordStates(db, flowId)
    if (settledCount(states) >= count) return states
    if (Date.now() > deadline)
      throw new Error(`only ${JSON.stringify(states)} of ${count} settled after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

import { SETTLED_STATES } from '../../core/record/record-state.ts'
import type { Db } from '../../runtime/store/database.ts'
import { countByState } from '../../runtime/store/records-store.ts'

/** Records in a final state (delivered, skipped by `when`, or failed). */
export function settledCount(states: Record<string, number>): number {
  return SETTLED_STATES.reduce((sum, state) => sum + (states[state] ?? 0), 0)
}

/** The error of a run of the flow that failed since `since`, if any (e.g. the egress policy refusing a read). */
async function failedRun(db: Db, flowId: string, since: Date): Promise<unknown> {
  const row = await db
    .selectFrom('runs')
    .select('error')
    .where('flowId', '=', flowId)
    .where('state', '=', 'failed')
    .where('startedAt', '>=', since)
    .executeTakeFirst()
  return row ? (row.error ?? 'no error stored') : undefined
}

/**
 * Polls until `count` of a flow's records are settled; throws after `timeoutMs` with the states seen,
 * or at once when a run of the flow fails (nothing would settle: waiting out the timeout hides why).
 */
export async function awaitSettled(db: Db, flowId: string, count: number, timeoutMs: number) {
  const since = new Date(Date.now() - 1000)
  const deadline = Date.now() + timeoutMs
  for (let polls = 0; ; polls++) {
    const states = await countByState(db, flowId)
    if (settledCount(states) >= count) return states
    const failure = polls % 25 === 24 ? await failedRun(db, flowId, since) : undefined
    if (failure !== undefined) throw new Error(`a run of the flow failed: ${JSON.stringify(failure)}`)
    if (Date.now() > deadline)
      throw new Error(`only ${JSON.stringify(states)} of ${count} settled after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

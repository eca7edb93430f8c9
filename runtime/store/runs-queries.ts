import type { Db } from './database.ts'
import type { RunRow } from './runs-store.ts'

/** A flow's runs, newest first. */
export async function listRuns(db: Db, tenantId: string, flowId: string, limit: number): Promise<RunRow[]> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('flowId', '=', flowId)
    .orderBy('startedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute() as Promise<RunRow[]>
}

/** How many of a run's records are in each state. */
export async function countRunRecords(db: Db, runId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('runId', '=', runId)
    .groupBy('state')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
}

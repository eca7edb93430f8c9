import { sql } from 'kysely'
import type { Db } from '../../runtime/store/database.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Waits until `expected` flows have each completed at least two flow runs (so their first reads are
 * behind them and what follows is steady-state polling), checking every 2 s, waiting at least
 * `minWaitMs` and at most 150 s.
 */
export async function waitFlowsPolledTwice(db: Db, expected: number, minWaitMs: number): Promise<void> {
  const started = Date.now()
  for (;;) {
    await sleep(2000)
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from (select data->>'flowId' as f from pgboss.job
      where name = 'ferry-flow-run' and state = 'completed' group by 1 having count(*) >= 2) x`.execute(db)
    const waited = Date.now() - started
    if ((waited > minWaitMs && Number(rows[0]!.n) >= expected) || waited > 150_000) return
  }
}

import { sql } from 'kysely'
import type { Db } from './database.ts'

/** How many of the latest deliveries the read→delivered percentiles are taken over. */
export const TIMING_SAMPLE = 2_000

/** Records of one day (in the asked time zone) by the state they are in now. */
export interface DayCounts {
  /** YYYY-MM-DD in the time zone. */
  day: string
  counts: Record<string, number>
}

/** What the overview shows for a tenant over a window. */
export interface OverviewAggregates {
  days: DayCounts[]
  delivered: number
  failed: number
  /** Seconds from a record being read (approved in the source) to delivered (posted): the latest deliveries. */
  deliverySeconds: { p50: number | null; p95: number | null }
}

/**
 * A tenant's records changed since `from`, per day of their last change in `timeZone` and state,
 * and how long the latest deliveries took from being read to delivered. Index-only range scans
 * of records_tenant_state_updated.
 */
export async function readOverview(
  db: Db,
  tenantId: string,
  from: Date,
  timeZone: string,
): Promise<OverviewAggregates> {
  const [days, totals, timing] = await Promise.all([
    sql<{ day: string; state: string; n: string }>`
      select to_char(date_trunc('day', updated_at, ${timeZone}) at time zone ${timeZone}, 'YYYY-MM-DD') as day,
             state, n
        from (select date_trunc('day', updated_at, ${timeZone}) as updated_at, state, count(*) as n
                from records where tenant_id = ${tenantId} and updated_at >= ${from}
               group by 1, 2) d
       order by 1, 2`.execute(db),
    sql<{ delivered: string; failed: string }>`
      select count(*) filter (where state = 'delivered') as delivered,
             count(*) filter (where state = 'failed') as failed
        from records where tenant_id = ${tenantId} and updated_at >= ${from}
         and state in ('delivered', 'failed')`.execute(db),
    // The latest deliveries tell how fast it goes now, at a bounded cost however many there were.
    sql<{ p50: number | null; p95: number | null }>`
      select percentile_cont(0.5) within group (order by seconds) as p50,
             percentile_cont(0.95) within group (order by seconds) as p95
        from (select extract(epoch from updated_at - created_at) as seconds
                from records where tenant_id = ${tenantId} and state = 'delivered' and updated_at >= ${from}
               order by updated_at desc limit ${TIMING_SAMPLE}) d`.execute(db),
  ])
  const byDay = new Map<string, Record<string, number>>()
  for (const r of days.rows) {
    const counts = byDay.get(r.day) ?? {}
    counts[r.state] = Number(r.n)
    byDay.set(r.day, counts)
  }
  const t = totals.rows[0]!
  const p = timing.rows[0]!
  const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10)
  return {
    days: [...byDay].map(([day, counts]) => ({ day, counts })),
    delivered: Number(t.delivered),
    failed: Number(t.failed),
    deliverySeconds: { p50: seconds(p.p50), p95: seconds(p.p95) },
  }
}

/** A tenant's records per state now (the delivery backlog is queued + delivering + awaiting). */
export async function countTenantRecords(db: Db, tenantId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tenantId', '=', tenantId)
    .where('state', 'in', ['queued', 'delivering', 'awaiting', 'failed'])
    .groupBy('state')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
}

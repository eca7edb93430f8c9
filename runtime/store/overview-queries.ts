import { sql } from 'kysely'
import type { Db } from './database.ts'

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
  /** Seconds from a record being read (approved in the source) to delivered (posted), among delivered. */
  deliverySeconds: { p50: number | null; p95: number | null }
}

/**
 * A tenant's records changed since `from`, per day of their last change in `timeZone` and state,
 * and how long delivered ones took from being read to delivered. One range scan of
 * records_tenant_updated.
 */
export async function readOverview(
  db: Db,
  tenantId: string,
  from: Date,
  timeZone: string,
): Promise<OverviewAggregates> {
  const [days, totals] = await Promise.all([
    sql<{ day: string; state: string; n: string }>`
      select to_char(updated_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, state, count(*) as n
        from records where tenant_id = ${tenantId} and updated_at >= ${from}
       group by 1, 2 order by 1`.execute(db),
    sql<{ delivered: string; failed: string; p50: number | null; p95: number | null }>`
      select count(*) filter (where state = 'delivered') as delivered,
             count(*) filter (where state = 'failed') as failed,
             percentile_cont(0.5) within group (order by extract(epoch from updated_at - created_at))
               filter (where state = 'delivered') as p50,
             percentile_cont(0.95) within group (order by extract(epoch from updated_at - created_at))
               filter (where state = 'delivered') as p95
        from records where tenant_id = ${tenantId} and updated_at >= ${from}`.execute(db),
  ])
  const byDay = new Map<string, Record<string, number>>()
  for (const r of days.rows) {
    const counts = byDay.get(r.day) ?? {}
    counts[r.state] = Number(r.n)
    byDay.set(r.day, counts)
  }
  const t = totals.rows[0]!
  const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10)
  return {
    days: [...byDay].map(([day, counts]) => ({ day, counts })),
    delivered: Number(t.delivered),
    failed: Number(t.failed),
    deliverySeconds: { p50: seconds(t.p50), p95: seconds(t.p95) },
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

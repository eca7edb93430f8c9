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
 * and how long the latest deliveries took from being read to delivered.
 *
 * One scan of records_tenant_updated_state (index-only once vacuumed) counts the days and the
 * totals together. Days are buckets between the window's midnights in the zone, found with one
 * binary search per record (width_bucket): converting every record's time to the zone cost more
 * than the scan itself with 100,000 records.
 */
export async function readOverview(
  db: Db,
  tenantId: string,
  from: Date,
  timeZone: string,
): Promise<OverviewAggregates> {
  const [days, timing] = await Promise.all([
    sql<{ day: string; state: string; n: string }>`
      with bounds as (
        select array_agg(d at time zone ${timeZone} order by d) as at
          from generate_series(date_trunc('day', ${from}::timestamptz at time zone ${timeZone}),
                               date_trunc('day', now() at time zone ${timeZone}) + interval '1 day',
                               interval '1 day') d),
      counted as (
        select width_bucket(r.updated_at, b.at) as bucket, r.state, count(*) as n
          from records r, bounds b
         where r.tenant_id = ${tenantId} and r.updated_at >= ${from}
         group by 1, 2)
      select to_char(b.at[c.bucket] at time zone ${timeZone}, 'YYYY-MM-DD') as day, c.state, c.n
        from counted c, bounds b
       order by 1, 2`.execute(db),
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
  const total = (state: string) =>
    days.rows.filter((r) => r.state === state).reduce((n, r) => n + Number(r.n), 0)
  const p = timing.rows[0]!
  const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10)
  return {
    days: [...byDay].map(([day, counts]) => ({ day, counts })),
    delivered: total('delivered'),
    failed: total('failed'),
    deliverySeconds: { p50: seconds(p.p50), p95: seconds(p.p95) },
  }
}

/**
 * A tenant's records per state now (the delivery backlog is queued + delivering + awaiting): one
 * count per state, each a range of records_tenant_state_updated.
 */
export async function countTenantRecords(db: Db, tenantId: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ state: string; n: string }>`
    select s.state, (select count(*) from records r where r.tenant_id = ${tenantId} and r.state = s.state) as n
      from unnest(array['queued', 'delivering', 'awaiting', 'failed']) as s(state)`.execute(db)
  return Object.fromEntries(rows.filter((r) => Number(r.n) > 0).map((r) => [r.state, Number(r.n)]))
}

import { sql } from 'kysely'
import type { Db } from './database.ts'

/** Upper bounds (seconds) of the target write latency histogram. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const

/** Aggregates behind /metrics, for one tenant or (tenantId undefined) all of them. */
export interface MetricsSnapshot {
  runsByState: Record<string, number>
  recordsByState: Record<string, number>
  retries: number
  /** Cumulative counts per bucket bound (same order as LATENCY_BUCKETS), then the total count and sum. */
  latency: { buckets: number[]; count: number; sumSeconds: number }
  rateBudget: { connector: string; used: number; waited: number }[]
}

const grouped = (rows: { state: string; n: string | number }[]) =>
  Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))

/**
 * Reads every metric with a handful of aggregate statements (no per-row work in Node). The latency
 * histogram scans the `written` ledger events, which have an index on (record_id, id) only, so the
 * API caches the snapshot for a few seconds.
 */
export async function readMetrics(db: Db, tenantId: string | undefined): Promise<MetricsSnapshot> {
  const runs = db.selectFrom('runs').select(['state', (eb) => eb.fn.countAll<string>().as('n')])
  const records = db.selectFrom('records').select(['state', (eb) => eb.fn.countAll<string>().as('n')])
  const scope = tenantId === undefined ? sql<boolean>`true` : sql<boolean>`r.tenant_id = ${tenantId}`
  const bucketColumns = sql.join(
    LATENCY_BUCKETS.map((b) => sql`count(*) filter (where e.duration_ms <= ${b * 1000})`),
  )
  const [runRows, recordRows, events, budget] = await Promise.all([
    (tenantId ? runs.where('tenantId', '=', tenantId) : runs).groupBy('state').execute(),
    (tenantId ? records.where('tenantId', '=', tenantId) : records).groupBy('state').execute(),
    sql<{ retries: string; count: string; sum: string | null; buckets: string[] }>`
      select count(*) filter (where e.type = 'retry') as retries,
             count(*) filter (where e.type = 'written' and e.duration_ms is not null) as count,
             sum(e.duration_ms) filter (where e.type = 'written') as sum,
             array[${bucketColumns}]::text[] as buckets
        from record_events e join records r on r.id = e.record_id
       where ${scope} and (e.type = 'retry' or (e.type = 'written' and e.duration_ms is not null))`.execute(
      db,
    ),
    sql<{ connector: string; used: string; waited: string }>`
      select c.connector, sum(b.used)::text as used, sum(b.waited)::text as waited
        from rate_buckets b join connections c on c.id = b.connection_id
       where ${tenantId === undefined ? sql`true` : sql`c.tenant_id = ${tenantId}`}
       group by c.connector order by c.connector`.execute(db),
  ])
  const e = events.rows[0]!
  return {
    runsByState: grouped(runRows),
    recordsByState: grouped(recordRows),
    retries: Number(e.retries),
    latency: {
      buckets: e.buckets.map(Number),
      count: Number(e.count),
      sumSeconds: Number(e.sum ?? 0) / 1000,
    },
    rateBudget: budget.rows.map((r) => ({
      connector: r.connector,
      used: Number(r.used),
      waited: Number(r.waited),
    })),
  }
}

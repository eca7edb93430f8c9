import { sql } from 'kysely'
import type { Db } from './database.ts'

/** How long rate-budget samples are kept (one row per connection and minute: ~10,000 per connection). */
export const RATE_SAMPLE_RETENTION_DAYS = 7

/** Requests a connection spent from its rate budget in one minute, and how often a request had to wait. */
export interface RateUse {
  at: Date
  used: number
  waited: number
}

/**
 * Stores this minute's cumulative counters of every rate bucket (idempotent within a minute, so any
 * number of processes may call it) and forgets samples past retention. Returns how many were stored.
 */
export async function sampleRateBuckets(db: Db, now = new Date()): Promise<number> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000)
  const inserted = await sql`
    insert into rate_samples (connection_id, at, used, waited)
    select connection_id, ${minute}::timestamptz, used, waited from rate_buckets
    on conflict do nothing`.execute(db)
  await sql`delete from rate_samples where at < ${minute}::timestamptz - ${`${RATE_SAMPLE_RETENTION_DAYS} days`}::interval`.execute(
    db,
  )
  return Number(inserted.numAffectedRows ?? 0)
}

/**
 * A tenant's rate-budget use per connection and minute since `from`: the difference between
 * consecutive samples (a counter that went down — the bucket was recreated — counts from zero).
 */
export async function readRateUse(db: Db, tenantId: string, from: Date): Promise<Map<string, RateUse[]>> {
  // A sample just before `from` gives the first minute in the window its difference; a sample with
  // no predecessor has none and is left out.
  const { rows } = await sql<{ connectionId: string; at: Date; used: string; waited: string }>`
    select connection_id, at, used, waited from (
      select connection_id, at, lag(used) over w as previous,
             greatest(used - lag(used) over w, 0) as used,
             greatest(waited - lag(waited) over w, 0) as waited
        from rate_samples s
       where s.connection_id in (select id from connections where tenant_id = ${tenantId})
         and s.at >= ${from}::timestamptz - interval '1 minute'
      window w as (partition by connection_id order by at)) d
     where previous is not null and at >= ${from}::timestamptz
     order by connection_id, at`.execute(db)
  const out = new Map<string, RateUse[]>()
  for (const r of rows) {
    const list = out.get(r.connectionId) ?? []
    list.push({ at: r.at, used: Number(r.used), waited: Number(r.waited) })
    out.set(r.connectionId, list)
  }
  return out
}

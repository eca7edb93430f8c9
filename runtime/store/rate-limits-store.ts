import { sql } from 'kysely'
import type { Db } from './database.ts'

/** Creates a connection's token bucket (full at `burst`) if it has none. */
export async function ensureRateBucket(db: Db, connectionId: string, burst: number): Promise<void> {
  await sql`insert into rate_buckets (connection_id, tokens) values (${connectionId}, ${burst}) on conflict do nothing`.execute(
    db,
  )
}

/** Creates a connection's concurrency slots 0 … count − 1 that do not exist yet. */
export async function ensureConcurrencySlots(db: Db, connectionId: string, count: number): Promise<void> {
  await sql`insert into concurrency_slots (connection_id, slot) select ${connectionId}::uuid, g from generate_series(0, ${count - 1}) g on conflict do nothing`.execute(
    db,
  )
}

/**
 * Refills a connection's bucket for the time since its last refill (capped at `burst`) and, when a
 * token is there, charges `cost` — one UPDATE under the row's lock. Counts a wait the first time a
 * request finds it empty. Returns the tokens there were and whether the request may go.
 */
export async function takeRateTokens(
  db: Db,
  connectionId: string,
  bucket: { burst: number; perMs: number; cost: number; waitedBefore: boolean },
): Promise<{ tokens: number; ok: boolean } | undefined> {
  const { burst, perMs, cost, waitedBefore } = bucket
  const { rows } = await sql<{ tokens: number; ok: boolean }>`
    with b as (
      select least(${burst}::float8, tokens + extract(epoch from clock_timestamp() - refilled_at) * 1000 * ${perMs}::float8) as available
      from rate_buckets where connection_id = ${connectionId} for update)
    update rate_buckets r set
      tokens = case when b.available >= 1 then b.available - ${cost}::float8 else b.available end,
      refilled_at = clock_timestamp(),
      used = used + case when b.available >= 1 then ${cost}::int else 0 end,
      waited = waited + case when b.available < 1 and not ${waitedBefore} then 1 else 0 end
    from b where r.connection_id = ${connectionId}
    returning b.available as tokens, b.available >= 1 as ok`.execute(db)
  return rows[0]
}

/** Drains a connection's bucket to `tokens` (negative: a debt every process waits out), refilled from now. */
export async function drainRateBucket(db: Db, connectionId: string, tokens: number): Promise<void> {
  await sql`update rate_buckets set tokens = least(tokens, ${tokens}::float8), refilled_at = clock_timestamp() where connection_id = ${connectionId}`.execute(
    db,
  )
}

/** Leases the lowest free (or expired) slot below `cap` to `holder` for `leaseMs`; its number, or undefined. */
export async function leaseConcurrencySlot(
  db: Db,
  connectionId: string,
  lease: { cap: number; holder: string; leaseMs: number },
): Promise<number | undefined> {
  const { rows } = await sql<{ slot: number }>`
    update concurrency_slots set holder = ${lease.holder}, expires_at = clock_timestamp() + ${lease.leaseMs} * interval '1 millisecond'
    where (connection_id, slot) = (
      select connection_id, slot from concurrency_slots
      where connection_id = ${connectionId} and slot < ${lease.cap} and (holder is null or expires_at < clock_timestamp())
      order by slot limit 1 for update skip locked)
    returning slot`.execute(db)
  return rows[0]?.slot
}

/** Extends `holder`'s lease of a slot by `leaseMs` from now. */
export async function renewConcurrencySlot(
  db: Db,
  connectionId: string,
  slot: number,
  lease: { holder: string; leaseMs: number },
): Promise<void> {
  await sql`update concurrency_slots set expires_at = clock_timestamp() + ${lease.leaseMs} * interval '1 millisecond' where connection_id = ${connectionId} and slot = ${slot} and holder = ${lease.holder}`.execute(
    db,
  )
}

/** Frees a slot `holder` leased. */
export async function releaseConcurrencySlot(
  db: Db,
  connectionId: string,
  slot: number,
  holder: string,
): Promise<void> {
  await sql`update concurrency_slots set holder = null, expires_at = null where connection_id = ${connectionId} and slot = ${slot} and holder = ${holder}`.execute(
    db,
  )
}

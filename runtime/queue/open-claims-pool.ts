import { createHash } from 'node:crypto'
import pg from 'pg'

/** A small pool pg-boss runs the delivery claims and settlements on; {@link openClaimsPool}. */
export interface ClaimsPool {
  /** pg-boss's `db` option (its IDatabase): `boss.fetch(queue, { db })`, `boss.complete(queue, ids, null, { db })`. */
  db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }
  close(): Promise<void>
}

/**
 * Opens the pool the delivery workers claim and settle jobs on, with `synchronous_commit = off`: a
 * claim or a completion then returns without waiting for its WAL flush — the fsync that otherwise
 * bounds how fast one process can turn its slots over. Safe because neither needs to survive a
 * database crash: a lost claim leaves the job to be fetched again, and a lost settlement leaves it
 * active, so pg-boss re-runs it once its heartbeat lapses, and a delivery of a record already
 * settled does nothing (deliverRecord reads its state first; the record's own writes stay durable,
 * in the delivery's transactions). WAL order still holds: a settlement that survives implies every
 * earlier commit survived. Enqueues (new jobs, retries) never go through this pool.
 */
export function openClaimsPool(
  connectionString: string,
  options: { role: string; max?: number },
): ClaimsPool {
  const pool = new pg.Pool({
    connectionString,
    application_name: `ferry-${options.role}-claims`,
    max: options.max ?? 4,
    options: '-c synchronous_commit=off',
  })
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  // pg-boss sends its SQL as text every time; naming each distinct statement makes it a prepared one
  // per connection, so PostgreSQL parses it once and soon reuses a generic plan instead of planning
  // every claim anew against the partitioned job table (the fetch inlines its LIMIT: one per size).
  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (!name) {
      name = `ferry_claims_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`
      names.set(text, name)
    }
    return name
  }
  return {
    db: { executeSql: (text, values) => pool.query({ name: nameOf(text), text, values }) },
    close: () => pool.end(),
  }
}

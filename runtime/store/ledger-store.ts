import type { Kysely } from 'kysely'
import type { Database, Db } from './database.ts'

/** One ledger event, as written. */
export interface LedgerEvent {
  type: string
  attempt: number
  durationMs?: number
  data: Record<string, unknown>
}

/**
 * Appends the `read` event of records just read (attempt 0: the run, key and version they came from).
 * Call in the transaction that inserted them.
 */
export async function appendReadEvents(
  db: Kysely<Database>,
  reads: readonly { recordId: string; runId: string | null; sourceKey: string; sourceVersion: string }[],
): Promise<void> {
  if (reads.length === 0) return
  await db
    .insertInto('recordEvents')
    .values(
      reads.map(({ recordId, runId, sourceKey, sourceVersion }) => ({
        recordId,
        type: 'read',
        attempt: 0,
        data: JSON.stringify({ runId, sourceKey, sourceVersion }),
      })),
    )
    .execute()
}

/** Appends ledger events without changing the record. */
export async function appendEvents(
  db: Kysely<Database>,
  recordId: string,
  events: LedgerEvent[],
): Promise<void> {
  if (events.length === 0) return
  await db
    .insertInto('recordEvents')
    .values(
      events.map((e) => ({
        recordId,
        type: e.type,
        attempt: e.attempt,
        durationMs: e.durationMs ?? null,
        data: JSON.stringify(e.data),
      })),
    )
    .execute()
}

/** The whole ledger of a record, oldest first. */
export async function listEvents(db: Db, recordId: string) {
  return db
    .selectFrom('recordEvents')
    .select(['id', 'at', 'type', 'attempt', 'durationMs', 'data'])
    .where('recordId', '=', recordId)
    .orderBy('id')
    .execute()
}

import { sql } from 'kysely'
import type { ConnectionState } from '../../core/connector/connector.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { Db } from './database.ts'

/** The member a sealed value is stored under: `{ "ferry:sealed": "v1.…" }` (jsonb keeps its column type). */
const SEALED = 'ferry:sealed'

type Box = Pick<SecretBox, 'seal' | 'open'>

const seal = (box: Box, value: unknown) => JSON.stringify({ [SEALED]: box.seal({ value: value ?? null }) })

/** A stored value opened; a value written before values were sealed is read as it is. */
function open(box: Box, stored: unknown): unknown {
  if (
    stored !== null &&
    typeof stored === 'object' &&
    typeof (stored as Record<string, unknown>)[SEALED] === 'string'
  )
    return box.open((stored as Record<string, string>)[SEALED]!).value
  return stored
}

/**
 * A connection's durable state in PostgreSQL. Connectors keep credentials here (BC's rotated
 * refresh tokens, MISA's access token, PKCE verifiers), so every value is sealed with the master key
 * like connection secrets; keys stay in clear. `withLock` holds a session advisory lock, so a
 * refresh-token rotation is serialised across every worker process.
 */
export function connectionStateStore(db: Db, connectionId: string, box: Box): ConnectionState {
  return {
    async get<T>(key: string) {
      const row = await db
        .selectFrom('connectionState')
        .select('value')
        .where('connectionId', '=', connectionId)
        .where('key', '=', key)
        .executeTakeFirst()
      return row ? (open(box, row.value) as T) : undefined
    },
    async set(key, value) {
      const sealed = seal(box, value)
      await db
        .insertInto('connectionState')
        .values({ connectionId, key, value: sealed })
        .onConflict((oc) =>
          oc.columns(['connectionId', 'key']).doUpdateSet({ value: sealed, updatedAt: new Date() }),
        )
        .execute()
    },
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return new Map<string, T>()
      const rows = await db
        .selectFrom('connectionState')
        .select(['key', 'value'])
        .where('connectionId', '=', connectionId)
        .where('key', 'in', [...keys])
        .execute()
      return new Map(rows.map((r) => [r.key, open(box, r.value) as T]))
    },
    async setMany(entries) {
      // One row per key: a key given twice keeps its last value (ON CONFLICT refuses duplicates in one insert).
      const latest = new Map(entries)
      if (latest.size === 0) return
      await db
        .insertInto('connectionState')
        .values([...latest].map(([key, value]) => ({ connectionId, key, value: seal(box, value) })))
        .onConflict((oc) =>
          oc
            .columns(['connectionId', 'key'])
            .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updatedAt: new Date() })),
        )
        .execute()
    },
    async delete(key) {
      await db
        .deleteFrom('connectionState')
        .where('connectionId', '=', connectionId)
        .where('key', '=', key)
        .execute()
    },
    async withLock(key, fn) {
      return db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtextextended(${`${connectionId}:${key}`}, 0))`.execute(conn)
        try {
          return await fn()
        } finally {
          await sql`select pg_advisory_unlock(hashtextextended(${`${connectionId}:${key}`}, 0))`.execute(conn)
        }
      })
    },
  }
}

/**
 * Seals every connection-state value still stored in clear (written before values were sealed).
 * Each row is replaced only if it still holds the value read, so a token a worker rotated meanwhile
 * is never overwritten with the older one. Returns how many rows were sealed.
 */
export async function sealConnectionState(db: Db, box: Box): Promise<number> {
  const rows = await db
    .selectFrom('connectionState')
    .select(['connectionId', 'key', 'value'])
    .where(sql<boolean>`value ->> ${SEALED} is null`)
    .execute()
  let sealed = 0
  for (const row of rows) {
    const result = await db
      .updateTable('connectionState')
      .set({ value: seal(box, row.value) })
      .where('connectionId', '=', row.connectionId)
      .where('key', '=', row.key)
      .where(sql<boolean>`value = ${JSON.stringify(row.value)}::jsonb`)
      .executeTakeFirst()
    sealed += Number(result.numUpdatedRows)
  }
  return sealed
}

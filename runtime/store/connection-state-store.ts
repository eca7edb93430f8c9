import { sql } from 'kysely'
import type { ConnectionState } from '../../core/connector/connector.ts'
import type { Db } from './database.ts'

/**
 * A connection's durable state in PostgreSQL. `withLock` holds a transaction-scoped advisory lock,
 * so a refresh-token rotation is serialised across every worker process.
 */
export function connectionStateStore(db: Db, connectionId: string): ConnectionState {
  return {
    async get<T>(key: string) {
      const row = await db
        .selectFrom('connectionState')
        .select('value')
        .where('connectionId', '=', connectionId)
        .where('key', '=', key)
        .executeTakeFirst()
      return row?.value as T | undefined
    },
    async set(key, value) {
      await db
        .insertInto('connectionState')
        .values({ connectionId, key, value: JSON.stringify(value ?? null) })
        .onConflict((oc) =>
          oc
            .columns(['connectionId', 'key'])
            .doUpdateSet({ value: JSON.stringify(value ?? null), updatedAt: new Date() }),
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
      return new Map(rows.map((r) => [r.key, r.value as T]))
    },
    async setMany(entries) {
      // One row per key: a key given twice keeps its last value (ON CONFLICT refuses duplicates in one insert).
      const latest = new Map(entries)
      if (latest.size === 0) return
      await db
        .insertInto('connectionState')
        .values(
          [...latest].map(([key, value]) => ({ connectionId, key, value: JSON.stringify(value ?? null) })),
        )
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

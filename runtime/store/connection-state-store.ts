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

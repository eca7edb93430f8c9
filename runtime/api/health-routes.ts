import { Hono } from 'hono'
import { sql } from 'kysely'
import type { Db } from '../store/database.ts'

/** `/health`: 200 when the database answers, 503 while draining or when it does not. */
export function healthRoutes(deps: { db: Db; draining: () => boolean }) {
  return new Hono().get('/health', async (c) => {
    if (deps.draining()) return c.json({ status: 'draining' }, 503)
    try {
      await sql`select 1`.execute(deps.db)
      return c.json({ status: 'ok', database: 'ok' })
    } catch (error) {
      return c.json({ status: 'unavailable', database: String(error) }, 503)
    }
  })
}

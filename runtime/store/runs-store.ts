import { sql } from 'kysely'
import { assertRunTransition, type RunState } from '../../core/record/run-state.ts'
import type { Db } from './database.ts'

/** A run (one read of a flow's source). */
export interface RunRow {
  id: string
  tenantId: string
  flowId: string
  flowVersion: number
  trigger: string
  state: string
  scope: string
  pages: number
  recordsRead: number
  recordsNew: number
  startedAt: Date
  finishedAt: Date | null
  error: unknown
}

/** Starts a run. */
export async function startRun(
  db: Db,
  input: {
    tenantId: string
    flowId: string
    flowVersion: number
    trigger: string
    scope?: string
    window?: { from?: string; to?: string }
  },
): Promise<RunRow> {
  return db
    .insertInto('runs')
    .values({
      tenantId: input.tenantId,
      flowId: input.flowId,
      flowVersion: input.flowVersion,
      trigger: input.trigger,
      state: 'running',
      scope: input.scope ?? 'live',
      window: input.window ? JSON.stringify(input.window) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<RunRow>
}

/** Adds a page's counts to a run (inside the page transaction). */
export async function countRunPage(db: Db, runId: string, read: number, inserted: number): Promise<void> {
  await db
    .updateTable('runs')
    .set((eb) => ({
      pages: eb('pages', '+', 1),
      recordsRead: eb('recordsRead', '+', read),
      recordsNew: eb('recordsNew', '+', inserted),
    }))
    .where('id', '=', runId)
    .execute()
}

/** Ends a run. */
export async function finishRun(db: Db, runId: string, state: RunState, error?: unknown): Promise<void> {
  const row = await db.selectFrom('runs').select('state').where('id', '=', runId).executeTakeFirstOrThrow()
  assertRunTransition(row.state as RunState, state)
  await db
    .updateTable('runs')
    .set({
      state,
      finishedAt: sql`now()` as never,
      error: error === undefined ? null : JSON.stringify(error),
    })
    .where('id', '=', runId)
    .execute()
}

/** Removes a run that left nothing behind (a scheduled poll that found no new record). */
export async function deleteRun(db: Db, runId: string): Promise<void> {
  await db.deleteFrom('runs').where('id', '=', runId).execute()
}

/** Reads a run of a tenant. */
export async function getRun(db: Db, tenantId: string, runId: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', runId)
    .executeTakeFirst() as Promise<RunRow | undefined>
}

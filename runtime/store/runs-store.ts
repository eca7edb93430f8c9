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

/**
 * Starts a run. A run whose row is written late (a scheduled poll writes it with the first page that
 * stores a record) gives its own `id`, the moment it really started and the pages it read until then.
 */
export async function startRun(
  db: Db,
  input: {
    tenantId: string
    flowId: string
    flowVersion: number
    trigger: string
    scope?: string
    window?: { from?: string; to?: string }
    id?: string
    startedAt?: Date
    pages?: number
    recordsRead?: number
  },
): Promise<RunRow> {
  return db
    .insertInto('runs')
    .values({
      ...(input.id ? { id: input.id } : {}),
      ...(input.startedAt ? { startedAt: input.startedAt } : {}),
      tenantId: input.tenantId,
      flowId: input.flowId,
      flowVersion: input.flowVersion,
      trigger: input.trigger,
      state: 'running',
      scope: input.scope ?? 'live',
      window: input.window ? JSON.stringify(input.window) : null,
      pages: input.pages ?? 0,
      recordsRead: input.recordsRead ?? 0,
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

/** Reads a run of a tenant. */
export async function getRun(db: Db, tenantId: string, runId: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', runId)
    .executeTakeFirst() as Promise<RunRow | undefined>
}

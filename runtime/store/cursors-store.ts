import type { Db } from './database.ts'

/** Reads a flow's read checkpoint for a scope (`live`, or `backfill:<run>`). */
export async function getCursor(db: Db, flowId: string, scope: string): Promise<string | null> {
  const row = await db
    .selectFrom('cursors')
    .select('cursor')
    .where('flowId', '=', flowId)
    .where('scope', '=', scope)
    .executeTakeFirst()
  return row?.cursor ?? null
}

/**
 * Writes a checkpoint; called in the same transaction as the page's records. An unchanged checkpoint
 * writes nothing, so a poll that found nothing new leaves no dead row behind.
 */
export async function putCursor(db: Db, flowId: string, scope: string, cursor: string | null): Promise<void> {
  await db
    .insertInto('cursors')
    .values({ flowId, scope, cursor })
    .onConflict((oc) =>
      oc
        .columns(['flowId', 'scope'])
        .doUpdateSet({ cursor, updatedAt: new Date() })
        .where('cursors.cursor', 'is distinct from', cursor),
    )
    .execute()
}

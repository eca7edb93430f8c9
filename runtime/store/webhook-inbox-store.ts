import type { Db } from './database.ts'

/** A webhook delivery as kept in the inbox (secrets already scrubbed). */
export interface InboxDelivery {
  tenantId: string
  connectionId: string
  /** The connector's key for a delivery sent more than once (null: each one is new). */
  dedupeKey: string | null
  headers: Record<string, string>
  body: Uint8Array
  events: unknown[]
}

/** Keeps a webhook delivery; a repeat of one already kept (same connection and dedupe key) is dropped. Its id, if kept. */
export async function insertInboxDelivery(db: Db, delivery: InboxDelivery): Promise<string | undefined> {
  const inserted = await db
    .insertInto('webhookInbox')
    .values({
      tenantId: delivery.tenantId,
      connectionId: delivery.connectionId,
      dedupeKey: delivery.dedupeKey,
      headers: JSON.stringify(delivery.headers),
      body: Buffer.from(delivery.body),
      events: JSON.stringify(delivery.events),
    })
    .onConflict((oc) =>
      oc.columns(['connectionId', 'dedupeKey']).where('dedupeKey', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  return inserted?.id
}

/** A kept webhook delivery. */
export async function getInboxDelivery(db: Db, id: string) {
  return db.selectFrom('webhookInbox').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Marks a kept webhook delivery as processed. */
export async function markInboxProcessed(db: Db, id: string): Promise<void> {
  await markInboxBatchProcessed(db, [id])
}

/** Kept webhook deliveries by id (those that exist). */
export async function getInboxDeliveries(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('webhookInbox').selectAll().where('id', 'in', ids).execute()
}

/** Marks kept webhook deliveries as processed, in one statement. */
export async function markInboxBatchProcessed(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('webhookInbox').set({ state: 'processed' }).where('id', 'in', ids).execute()
}

import type { Insertable } from 'kysely'
import type { Db, SubscriptionsTable } from './database.ts'

/** Stores a subscription the remote answered with (one per connection and stream: a new one replaces it). */
export async function upsertSubscription(db: Db, values: Insertable<SubscriptionsTable>): Promise<void> {
  await db
    .insertInto('subscriptions')
    .values(values)
    .onConflict((oc) => oc.columns(['connectionId', 'stream']).doUpdateSet(values))
    .execute()
}

/** A connection's stored subscriptions (secrets sealed). */
export async function subscriptionsOfConnection(db: Db, connectionId: string) {
  return db.selectFrom('subscriptions').selectAll().where('connectionId', '=', connectionId).execute()
}

/** A connection's stored subscription of one stream, if any. */
export async function subscriptionOfStream(db: Db, connectionId: string, stream: string) {
  return db
    .selectFrom('subscriptions')
    .selectAll()
    .where('connectionId', '=', connectionId)
    .where('stream', '=', stream)
    .executeTakeFirst()
}

/** One of a tenant's stored subscriptions (secret sealed); undefined when it is not the tenant's. */
export async function getStoredSubscription(db: Db, tenantId: string, id: string) {
  return db
    .selectFrom('subscriptions')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Marks a subscription as failing, with why. */
export async function markSubscriptionFailing(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ state: 'failing', lastError: error })
    .where('id', '=', id)
    .execute()
}

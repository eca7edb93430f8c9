import type { Db } from './database.ts'

/** A subscription as shown to its tenant (its signing secret is never selected). */
export interface SubscriptionView {
  id: string
  connectionId: string
  stream: string
  remoteId: string
  state: string
  expiresAt: Date | null
  renewedAt: Date | null
  lastError: string | null
}

const columns = [
  'id',
  'connectionId',
  'stream',
  'remoteId',
  'state',
  'expiresAt',
  'renewedAt',
  'lastError',
] as const

/** A tenant's webhook subscriptions, soonest to expire first. */
export async function listSubscriptions(db: Db, tenantId: string): Promise<SubscriptionView[]> {
  return db
    .selectFrom('subscriptions')
    .select(columns)
    .where('tenantId', '=', tenantId)
    .orderBy('expiresAt')
    .orderBy('id')
    .execute()
}

/** One subscription of a tenant. */
export async function getSubscription(
  db: Db,
  tenantId: string,
  id: string,
): Promise<SubscriptionView | undefined> {
  return db
    .selectFrom('subscriptions')
    .select(columns)
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

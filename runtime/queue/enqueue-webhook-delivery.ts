import type { Kysely } from 'kysely'
import { fromKysely, type PgBoss } from 'pg-boss'
import type { Database } from '../store/database.ts'
import { QUEUES } from './queues.ts'

/** Queues the processing of a kept webhook delivery, in the transaction that kept it. */
export async function enqueueWebhookDelivery(
  boss: PgBoss,
  trx: Kysely<Database>,
  inboxId: string,
): Promise<void> {
  await boss.send(QUEUES.webhook, { inboxId }, { db: fromKysely(trx) })
}

import type { Db } from './database.ts'

/** An API key as listed (its hash never leaves the store). */
export interface ApiKeyView {
  id: string
  prefix: string
  role: 'admin' | 'tenant'
  name: string | null
  createdAt: Date
  revokedAt: Date | null
}

/** Lists a tenant's API keys, newest first. */
export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyView[]> {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'prefix', 'role', 'name', 'createdAt', 'revokedAt'])
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt', 'desc')
    .execute()
}

/** Revokes one key of a tenant; false when the tenant has no such key. */
export async function revokeApiKey(db: Db, tenantId: string, keyId: string): Promise<boolean> {
  const rows = await db
    .updateTable('apiKeys')
    .set((eb) => ({ revokedAt: eb.fn.coalesce('revokedAt', eb.fn<Date>('now', [])) }))
    .where('tenantId', '=', tenantId)
    .where('id', '=', keyId)
    .returning('id')
    .execute()
  return rows.length === 1
}

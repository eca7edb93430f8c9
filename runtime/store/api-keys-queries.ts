import { sql } from 'kysely'
import type { Db } from './database.ts'
import { hashApiKey, issueApiKey } from './tenants-store.ts'

/** An API key as listed (its hash never leaves the store). */
export interface ApiKeyView {
  id: string
  prefix: string
  role: 'admin' | 'tenant'
  tenantId: string | null
  name: string | null
  createdAt: Date
  revokedAt: Date | null
}

const VIEW = ['id', 'prefix', 'role', 'tenantId', 'name', 'createdAt', 'revokedAt'] as const

/** Lists a tenant's API keys, newest first. */
export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyView[]> {
  return db
    .selectFrom('apiKeys')
    .select(VIEW)
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt', 'desc')
    .execute()
}

/** Lists every API key of the deployment (admin and tenant keys), newest first. */
export async function listAllApiKeys(db: Db): Promise<ApiKeyView[]> {
  return db.selectFrom('apiKeys').select(VIEW).orderBy('createdAt', 'desc').orderBy('id').execute()
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

/** Why a key could not be revoked or rotated. */
export type KeyRefusal = 'not-found' | 'last-admin' | 'revoked'

// Revoking and rotating admin keys take this lock, so two requests cannot each revoke "the other" last key.
const lockAdminKeys = (db: Db) =>
  sql`select pg_advisory_xact_lock(hashtextextended('ferry:admin-keys', 0))`.execute(db)

/**
 * Revokes any key by id. The deployment's last active admin key is refused: without one nobody could
 * manage tenants until a restart with FERRY_ADMIN_KEY. Revoking twice is harmless.
 */
export async function revokeAnyApiKey(db: Db, keyId: string): Promise<KeyRefusal | undefined> {
  return db.transaction().execute(async (trx) => {
    await lockAdminKeys(trx)
    const key = await trx
      .selectFrom('apiKeys')
      .select(['role', 'revokedAt'])
      .where('id', '=', keyId)
      .executeTakeFirst()
    if (!key) return 'not-found'
    if (key.revokedAt) return undefined
    if (key.role === 'admin') {
      const others = await trx
        .selectFrom('apiKeys')
        .select('id')
        .where('role', '=', 'admin')
        .where('revokedAt', 'is', null)
        .where('id', '!=', keyId)
        .limit(1)
        .execute()
      if (others.length === 0) return 'last-admin'
    }
    await trx.updateTable('apiKeys').set({ revokedAt: new Date() }).where('id', '=', keyId).execute()
    return undefined
  })
}

/**
 * Replaces an active key by a new one with the same role, tenant and name, and revokes the old one in
 * the same transaction: the old key stops working the moment the new one is returned (shown once).
 */
export async function rotateApiKey(
  db: Db,
  keyId: string,
): Promise<{ refused: KeyRefusal } | { id: string; key: string; prefix: string }> {
  return db.transaction().execute(async (trx) => {
    await lockAdminKeys(trx)
    const old = await trx
      .selectFrom('apiKeys')
      .select(['role', 'tenantId', 'name', 'revokedAt'])
      .where('id', '=', keyId)
      .executeTakeFirst()
    if (!old) return { refused: 'not-found' as const }
    if (old.revokedAt) return { refused: 'revoked' as const }
    const issued = await issueApiKey(trx, {
      role: old.role,
      tenantId: old.tenantId ?? undefined,
      name: old.name ?? undefined,
    })
    await trx.updateTable('apiKeys').set({ revokedAt: new Date() }).where('id', '=', keyId).execute()
    return issued
  })
}

/** What {@link ensureAdminKey} found or did at start. */
export type AdminKeyAtStart =
  | { state: 'created'; id: string; key: string; prefix: string }
  | { state: 'supplied'; prefix: string }
  | { state: 'supplied-revoked'; prefix: string }
  | { state: 'existing'; prefixes: string[] }

/**
 * Makes sure the deployment has an admin key, minting one only when it has none: restarts reuse it.
 * A key supplied in FERRY_ADMIN_KEY is registered on first sight; once revoked it stays revoked (a
 * stale environment variable must not undo a revocation), and a supplied key that is some tenant's
 * key never becomes an admin key.
 */
export async function ensureAdminKey(db: Db, supplied?: string): Promise<AdminKeyAtStart> {
  // The charset of a bearer token (anything else could never authenticate), long enough to be unguessable.
  if (supplied !== undefined && !/^[A-Za-z0-9._~+/=-]{32,}$/.test(supplied))
    throw new Error('FERRY_ADMIN_KEY must be at least 32 characters of A-Z a-z 0-9 . _ ~ + / = -')
  return db.transaction().execute(async (trx) => {
    await lockAdminKeys(trx)
    if (supplied) {
      const known = await trx
        .selectFrom('apiKeys')
        .select(['role', 'prefix', 'revokedAt'])
        .where('hash', '=', hashApiKey(supplied))
        .executeTakeFirst()
      if (known && known.role !== 'admin')
        throw new Error('FERRY_ADMIN_KEY is a tenant key; choose another value for the admin key')
      if (known) return { state: known.revokedAt ? 'supplied-revoked' : 'supplied', prefix: known.prefix }
      const issued = await issueApiKey(trx, { role: 'admin', name: 'FERRY_ADMIN_KEY', key: supplied })
      return { state: 'supplied', prefix: issued.prefix }
    }
    const active = await trx
      .selectFrom('apiKeys')
      .select('prefix')
      .where('role', '=', 'admin')
      .where('revokedAt', 'is', null)
      .orderBy('createdAt')
      .execute()
    if (active.length > 0) return { state: 'existing', prefixes: active.map((k) => k.prefix) }
    return { state: 'created', ...(await issueApiKey(trx, { role: 'admin', name: 'admin' })) }
  })
}

/**
 * Issues a tenant key named `name` and revokes the tenant's earlier active keys of that name: one
 * live key per purpose (the demo's key is replaced at every start instead of piling up).
 */
export async function replaceNamedApiKey(db: Db, tenantId: string, name: string) {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('apiKeys')
      .set({ revokedAt: new Date() })
      .where('tenantId', '=', tenantId)
      .where('name', '=', name)
      .where('revokedAt', 'is', null)
      .execute()
    return issueApiKey(trx, { role: 'tenant', tenantId, name })
  })
}

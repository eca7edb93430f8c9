import { createHash, randomBytes } from 'node:crypto'
import type { Db } from './database.ts'

/** A tenant row. */
export interface Tenant {
  id: string
  name: string
}

/** Creates a tenant, or returns the existing one of that name. */
export async function ensureTenant(db: Db, name: string): Promise<Tenant> {
  await db
    .insertInto('tenants')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  return db.selectFrom('tenants').select(['id', 'name']).where('name', '=', name).executeTakeFirstOrThrow()
}

/** Lists tenants by name. */
export async function listTenants(db: Db): Promise<Tenant[]> {
  return db.selectFrom('tenants').select(['id', 'name']).orderBy('name').execute()
}

/** Finds a tenant by id. */
export async function getTenant(db: Db, id: string): Promise<Tenant | undefined> {
  return db.selectFrom('tenants').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}

/** The stored form of an API key: its SHA-256 (keys are 192-bit random, so a fast hash is enough). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** The principal an API key stands for. */
export interface Principal {
  keyId: string
  role: 'admin' | 'tenant'
  tenantId: string | null
}

/**
 * Issues an API key and stores only its hash ({@link hashApiKey}). Returns the clear key once; it
 * cannot be read back. A supplied `key` (FERRY_ADMIN_KEY) must be new: one already stored, even
 * revoked, is refused by the unique hash (see ensureAdminKey).
 */
export async function issueApiKey(
  db: Db,
  input: { role: 'admin' | 'tenant'; tenantId?: string; name?: string; key?: string },
): Promise<{ id: string; key: string; prefix: string }> {
  const key =
    input.key ?? `fry_${input.role === 'admin' ? 'adm' : 'ten'}_${randomBytes(24).toString('base64url')}`
  const prefix = key.slice(0, 12)
  const row = await db
    .insertInto('apiKeys')
    .values({
      role: input.role,
      tenantId: input.tenantId ?? null,
      name: input.name ?? null,
      prefix,
      hash: hashApiKey(key),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, key, prefix }
}

/** Resolves a presented key to its principal; undefined for unknown or revoked keys. */
export async function authenticateApiKey(db: Db, key: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('apiKeys')
    .select(['id', 'role', 'tenantId'])
    .where('hash', '=', hashApiKey(key))
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  return row ? { keyId: row.id, role: row.role, tenantId: row.tenantId } : undefined
}

/** What the console shows of a tenant: its name and the IANA time zone of its dates ('UTC' unless set). */
export async function tenantProfile(
  db: Db,
  tenantId: string,
): Promise<{ name: string; timeZone: string } | undefined> {
  return db.selectFrom('tenants').select(['name', 'timeZone']).where('id', '=', tenantId).executeTakeFirst()
}

/** Sets a tenant's time zone; the caller checks it is a zone Intl knows. */
export async function setTenantTimeZone(db: Db, tenantId: string, timeZone: string): Promise<void> {
  await db.updateTable('tenants').set({ timeZone }).where('id', '=', tenantId).execute()
}

import { createHash, randomBytes } from 'node:crypto'
import type { Db } from './database.ts'

/** A signed-in console session: whose it is and which API key it was exchanged for. */
export interface ConsoleSession {
  id: string
  tenantId: string
  keyId: string
}

/** How long a session lives: idle expiry and an absolute cap (both from the caller's clock). */
export interface SessionLifetime {
  idleMs: number
  maxAgeMs: number
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`

/** Opens a session for a tenant key; returns the clear token once (only its hash is stored). */
export async function createConsoleSession(
  db: Db,
  input: { tenantId: string; keyId: string; now: Date },
): Promise<{ id: string; token: string }> {
  const token = newToken('fcs')
  const row = await db
    .insertInto('consoleSessions')
    .values({
      tenantId: input.tenantId,
      keyId: input.keyId,
      tokenHash: hashToken(token),
      createdAt: input.now,
      lastSeenAt: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, token }
}

/**
 * The live session a token names, or undefined when it is unknown, ended, idle past `idleMs`, older
 * than `maxAgeMs`, or its API key was revoked since. A live session's idle clock restarts at `now`.
 */
export async function findConsoleSession(
  db: Db,
  token: string,
  now: Date,
  lifetime: SessionLifetime,
): Promise<ConsoleSession | undefined> {
  const row = await db
    .updateTable('consoleSessions')
    .set({ lastSeenAt: now })
    .where('tokenHash', '=', hashToken(token))
    .where('endedAt', 'is', null)
    .where('lastSeenAt', '>', new Date(now.getTime() - lifetime.idleMs))
    .where('createdAt', '>', new Date(now.getTime() - lifetime.maxAgeMs))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('apiKeys')
          .select('apiKeys.id')
          .whereRef('apiKeys.id', '=', 'consoleSessions.keyId')
          .where('apiKeys.revokedAt', 'is', null),
      ),
    )
    .returning(['id', 'tenantId', 'keyId'])
    .executeTakeFirst()
  return row
}

/** Ends the session a token names (sign-out); harmless for an unknown or ended one. */
export async function endConsoleSession(db: Db, token: string, now: Date): Promise<void> {
  await db
    .updateTable('consoleSessions')
    .set({ endedAt: now })
    .where('tokenHash', '=', hashToken(token))
    .where('endedAt', 'is', null)
    .execute()
}

/** Issues a one-time sign-in link token for a tenant key, valid until `expiresAt`. */
export async function createSignInLink(
  db: Db,
  input: { tenantId: string; keyId: string; expiresAt: Date },
): Promise<{ token: string }> {
  const token = newToken('fsl')
  await db
    .insertInto('consoleSignInLinks')
    .values({
      tenantId: input.tenantId,
      keyId: input.keyId,
      tokenHash: hashToken(token),
      expiresAt: input.expiresAt,
    })
    .execute()
  return { token }
}

/**
 * Spends a sign-in link: the tenant and key it stands for, once. A second use, an expired link or
 * one whose key was revoked answers undefined.
 */
export async function redeemSignInLink(
  db: Db,
  token: string,
  now: Date,
): Promise<{ tenantId: string; keyId: string } | undefined> {
  return db
    .updateTable('consoleSignInLinks')
    .set({ usedAt: now })
    .where('tokenHash', '=', hashToken(token))
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('apiKeys')
          .select('apiKeys.id')
          .whereRef('apiKeys.id', '=', 'consoleSignInLinks.keyId')
          .where('apiKeys.revokedAt', 'is', null),
      ),
    )
    .returning(['tenantId', 'keyId'])
    .executeTakeFirst()
}

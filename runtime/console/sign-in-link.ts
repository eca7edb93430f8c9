import { createSignInLink } from '../store/console-sessions-store.ts'
import type { Db } from '../store/database.ts'

/** How long a printed sign-in link works (once). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000

/** A one-time sign-in link to the console for a tenant key (the demo prints one at start). */
export async function signInLinkFor(
  db: Db,
  input: { publicUrl: string; tenantId: string; keyId: string; ttlMs?: number },
): Promise<string> {
  const { token } = await createSignInLink(db, {
    tenantId: input.tenantId,
    keyId: input.keyId,
    expiresAt: new Date(Date.now() + (input.ttlMs ?? SIGN_IN_LINK_TTL_MS)),
  })
  return `${input.publicUrl.replace(/\/$/, '')}/console/sign-in/link?token=${token}`
}

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'

/** The name of the hidden field every console POST form carries. */
export const CSRF_FIELD = '_csrf'

/**
 * The CSRF token of a session: an HMAC of the secret session token, so it needs no storage, differs
 * per session and cannot be derived without the HttpOnly cookie.
 */
export function csrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('ferry-console-csrf').digest('base64url')
}

/** Constant-time comparison of two tokens (false for different lengths). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

/**
 * True when a POST may be from our own page: the token in its form field matches `expected`, and an
 * Origin header, when the browser sent one, is this service's own (as requested, or its public URL
 * when a proxy terminates TLS in front of it).
 */
export async function checkCsrf(c: Context, expected: string, publicUrl: string): Promise<boolean> {
  const origin = c.req.header('origin')
  if (origin && origin !== new URL(c.req.url).origin && origin !== new URL(publicUrl).origin) return false
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
  const sent = form[CSRF_FIELD]
  return typeof sent === 'string' && sameToken(sent, expected)
}

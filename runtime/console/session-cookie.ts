import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

/** The session cookie's name; the cookie is scoped to /console. */
export const SESSION_COOKIE = 'ferry_session'
/** The language preference cookie. */
export const LANGUAGE_COOKIE = 'ferry_lang'

const secure = (publicUrl: string) => publicUrl.startsWith('https:')

/**
 * Sets the session cookie: HttpOnly (no script reads it), SameSite=Lax (sent on the top-level
 * redirect back from Microsoft's consent page, never on a cross-site POST), Path=/console, Secure
 * behind https. No Max-Age: the server's idle expiry decides, and the browser drops it on exit.
 */
export function setSessionCookie(c: Context, token: string, publicUrl: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/console',
    secure: secure(publicUrl),
  })
}

/** The session token the browser sent, if any. */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined
}

/** Removes the session cookie (sign-out, or a session that ended). */
export function clearSessionCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secure(publicUrl) })
}

/** Remembers the chosen language for a year (not a secret: readable, Lax). */
export function setLanguageCookie(c: Context, language: string, publicUrl: string): void {
  setCookie(c, LANGUAGE_COOKIE, language, {
    path: '/console',
    sameSite: 'Lax',
    maxAge: 365 * 24 * 3600,
    secure: secure(publicUrl),
  })
}

import type { MiddlewareHandler } from 'hono'
import { findConsoleSession } from '../store/console-sessions-store.ts'
import { tenantProfile } from '../store/tenants-store.ts'
import { buildView } from './build-view.ts'
import type { ConsoleDeps } from './console-deps.ts'
import type { ConsoleEnv } from './console-env.ts'
import { checkCsrf, csrfToken } from './csrf.ts'
import { clearSessionCookie, readSessionCookie } from './session-cookie.ts'

/** Default idle expiry of a console session. */
export const DEFAULT_IDLE_MS = 30 * 60_000
/** Default longest life of a console session. */
export const DEFAULT_MAX_AGE_MS = 12 * 3600_000

/**
 * Guards every signed-in console route: a live session from the cookie (else a redirect to sign-in
 * that returns here), its CSRF token checked on every POST (403 otherwise), and the page's
 * {@link View} built in the tenant's language and time zone.
 */
export function requireSession(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  const lifetime = { idleMs: deps.idleMs ?? DEFAULT_IDLE_MS, maxAgeMs: deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS }
  return async (c, next) => {
    const token = readSessionCookie(c)
    const session = token ? await findConsoleSession(deps.db, token, new Date(), lifetime) : undefined
    const profile = session ? await tenantProfile(deps.db, session.tenantId) : undefined
    if (!token || !session || !profile) {
      if (token) clearSessionCookie(c, deps.publicUrl)
      const url = new URL(c.req.url)
      const back = c.req.method === 'GET' ? url.pathname + url.search : '/console'
      const reason = token ? '&reason=expired' : ''
      return c.redirect(`/console/sign-in?next=${encodeURIComponent(back)}${reason}`, 303)
    }
    const csrf = csrfToken(token)
    const view = buildView(c, { timeZone: profile.timeZone, csrf, tenantName: profile.name })
    if (c.req.method === 'POST' && !(await checkCsrf(c, csrf, deps.publicUrl)))
      return c.html(
        `<!doctype html><html lang="${view.language}"><head><title>403 · Ferry</title></head><body><main><h1>403</h1><p>${view.t('csrf.refused')}</p></main></body></html>`,
        403,
      )
    c.set('session', session)
    c.set('sessionToken', token)
    c.set('view', view)
    await next()
  }
}

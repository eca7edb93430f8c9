import { randomBytes } from 'node:crypto'
import { type Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { createConsoleSession, endConsoleSession, redeemSignInLink } from '../store/console-sessions-store.ts'
import { authenticateApiKey } from '../store/tenants-store.ts'
import { buildView } from './build-view.ts'
import type { ConsoleDeps } from './console-deps.ts'
import { CSRF_FIELD, sameToken } from './csrf.ts'
import type { MessageKey } from './i18n/messages-en.ts'
import { isLanguage } from './i18n/translator.ts'
import { SignInPage } from './pages/sign-in-page.tsx'
import {
  clearSessionCookie,
  readSessionCookie,
  setLanguageCookie,
  setSessionCookie,
} from './session-cookie.ts'

// Before sign-in there is no session to derive a CSRF token from: the form and a cookie carry the same random value.
const SIGN_IN_CSRF_COOKIE = 'ferry_sign_in'

const REASONS: Record<string, MessageKey> = {
  expired: 'signIn.expired',
  signedOut: 'signIn.signedOut',
  link: 'signIn.linkInvalid',
}

/** A path inside the console to return to after sign-in (anything else, e.g. another site, is dropped). */
export function consolePath(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/[^/\\]|\/?$|\?)/.test(value) && !value.includes('//')
    ? value
    : '/console'
}

/**
 * Sign-in, the one-time sign-in link, sign-out and the language switch: the console routes that
 * need no session. A signed-in session is only ever created here.
 */
export function signInRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono()
  const now = () => new Date()

  const renderForm = (c: Context, next: string, message?: MessageKey, error = false) => {
    const token = randomBytes(24).toString('base64url')
    setCookie(c, SIGN_IN_CSRF_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/console/sign-in',
      secure: deps.publicUrl.startsWith('https:'),
    })
    const view = buildView(c, { timeZone: 'UTC', csrf: token, tenantName: '' })
    return c.html(<SignInPage view={view} next={next} message={message} error={error} />, error ? 401 : 200)
  }

  app.get('/sign-in', (c) =>
    renderForm(c, consolePath(c.req.query('next')), REASONS[c.req.query('reason') ?? '']),
  )

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody()
    const expected = getCookie(c, SIGN_IN_CSRF_COOKIE) ?? ''
    const next = consolePath(form.next)
    if (typeof form[CSRF_FIELD] !== 'string' || !sameToken(form[CSRF_FIELD], expected))
      return renderForm(c, next, 'csrf.refused', true)
    const key = typeof form.key === 'string' ? form.key.trim() : ''
    const principal = key ? await authenticateApiKey(deps.db, key) : undefined
    if (!principal) return renderForm(c, next, 'signIn.unknownKey', true)
    if (principal.role !== 'tenant' || !principal.tenantId)
      return renderForm(c, next, 'signIn.notTenantKey', true)
    const { token } = await createConsoleSession(deps.db, {
      tenantId: principal.tenantId,
      keyId: principal.keyId,
      now: now(),
    })
    setSessionCookie(c, token, deps.publicUrl)
    return c.redirect(next, 303)
  })

  app.get('/sign-in/link', async (c) => {
    const link = await redeemSignInLink(deps.db, c.req.query('token') ?? '', now())
    if (!link) return c.redirect('/console/sign-in?reason=link', 303)
    const { token } = await createConsoleSession(deps.db, { ...link, now: now() })
    setSessionCookie(c, token, deps.publicUrl)
    return c.redirect('/console', 303)
  })

  app.get('/language', (c) => {
    const to = c.req.query('to')
    if (isLanguage(to)) setLanguageCookie(c, to, deps.publicUrl)
    return c.redirect(consolePath(c.req.query('back')), 303)
  })

  return app
}

/**
 * Sign-out (a signed-in POST, so its CSRF token was checked): ends the session server-side, so the
 * cookie is worthless even if it was copied.
 */
export function signOutRoute(deps: ConsoleDeps) {
  return async (c: Context) => {
    const token = readSessionCookie(c)
    if (token) await endConsoleSession(deps.db, token, new Date())
    clearSessionCookie(c, deps.publicUrl)
    return c.redirect('/console/sign-in?reason=signedOut', 303)
  }
}

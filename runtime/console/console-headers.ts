import type { MiddlewareHandler } from 'hono'
import type { ConsoleDeps } from './console-deps.ts'

/** Where Microsoft's consent page lives unless an app registration names another authority. */
const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com'

/**
 * The console pages' Content-Security-Policy: scripts and styles only from our own files (no inline
 * script or style, no eval), forms post only to us, no framing, no plugins, no <base> rewriting.
 * The API's security headers (nosniff, no-store, no referrer, DENY framing) apply to the console too.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

/**
 * The identity providers a "Connect" form may redirect to: a browser applies `form-action` to the
 * redirect that follows a POST, so the consent authorities of the app registrations join 'self'.
 */
function consentOrigins(deps: Pick<ConsoleDeps, 'consentApps'>): string[] {
  const origins = Object.values(deps.consentApps?.() ?? {}).map((app) =>
    typeof app.authorityUrl === 'string' && URL.canParse(app.authorityUrl)
      ? new URL(app.authorityUrl).origin
      : DEFAULT_AUTHORITY,
  )
  return [...new Set(origins)]
}

/**
 * Sets {@link CONSOLE_CSP} on every console response (with the consent authorities in
 * `form-action`), and a same-origin referrer policy: under the API's `no-referrer` a browser sends
 * `Origin: null` with a form POST, and the CSRF check wants the real origin; other sites still get
 * no referrer.
 */
export function consoleHeaders(deps: Pick<ConsoleDeps, 'consentApps'> = {}): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const extra = consentOrigins(deps)
    const csp = extra.length
      ? CONSOLE_CSP.replace("form-action 'self'", `form-action 'self' ${extra.join(' ')}`)
      : CONSOLE_CSP
    c.res.headers.set('content-security-policy', csp)
    c.res.headers.set('referrer-policy', 'same-origin')
  }
}

import type { MiddlewareHandler } from 'hono'

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
 * Sets {@link CONSOLE_CSP} on every console response, and a same-origin referrer policy: under the
 * API's `no-referrer` a browser sends `Origin: null` with a form POST, and the CSRF check wants the
 * real origin; other sites still get no referrer.
 */
export function consoleHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    c.res.headers.set('content-security-policy', CONSOLE_CSP)
    c.res.headers.set('referrer-policy', 'same-origin')
  }
}

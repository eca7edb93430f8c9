import type { MiddlewareHandler } from 'hono'

/** Headers every response gets unless its handler chose its own (a page may need its own CSP). */
const DEFAULTS: Record<string, string> = {
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  // Responses carry keys shown once, records and ledgers: no shared or browser cache keeps them.
  'cache-control': 'no-store',
}

/** What a response that is not a page may do in a browser: nothing (no scripts, no framing). */
const NOT_A_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

/**
 * Security headers for every response of the API and the webhook ingress: `nosniff` always, so a
 * browser never reads an echoed text or JSON body as HTML; a CSP that forbids everything on
 * responses that are not HTML pages; no framing, no referrer, no caching — each only where the
 * handler set none of its own. TLS (and so HSTS) belongs to the proxy in front of Ferry.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const headers = c.res.headers
    headers.set('x-content-type-options', 'nosniff')
    for (const [name, value] of Object.entries(DEFAULTS)) if (!headers.has(name)) headers.set(name, value)
    const type = headers.get('content-type') ?? ''
    if (!headers.has('content-security-policy') && !type.startsWith('text/html'))
      headers.set('content-security-policy', NOT_A_PAGE_CSP)
  }
}

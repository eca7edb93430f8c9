/**
 * The billing system's REST API: `POST /oauth/token` (client credentials, HTTP Basic client auth),
 * `GET /api/v1/account`, `GET /api/v1/invoices` (filter by status and `updated_since`, ordered by
 * updatedAt then id, paged by an opaque `next_cursor` in the body) and `GET /api/v1/invoices/{id}`.
 * Errors are `{ "error": { "code", "message" } }`; a spent budget answers 429 with Retry-After.
 */
import type { Hono } from 'hono'
import type { BillingState, Invoice } from './billing-state.ts'
import { issueToken } from './billing-state.ts'

const MAX_LIMIT = 100

function apiError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  if (!header?.startsWith('Basic ')) return undefined
  const decoded = Buffer.from(header.slice(6), 'base64').toString()
  const colon = decoded.indexOf(':')
  return colon < 0
    ? undefined
    : [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))]
}

/** Checks the bearer token and the request budget; an error response, or undefined to go on. */
function gate(state: BillingState, authorization: string | undefined): Response | undefined {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined
  const expires = token ? state.tokens.get(token) : undefined
  const now = state.now().getTime()
  if (!expires || expires <= now)
    return apiError(401, 'invalid_token', 'The access token is missing, invalid or expired')
  if (state.faults.failNextWith) {
    const status = state.faults.failNextWith
    state.faults.failNextWith = undefined
    return apiError(status, 'internal_error', 'The billing system had a problem; try again')
  }
  const budget = state.faults.rateLimitPerMinute
  if (budget !== undefined) {
    if (now - state.requests.windowStart >= 60_000) state.requests = { windowStart: now, count: 0 }
    if (++state.requests.count > budget) {
      const wait = Math.ceil((state.requests.windowStart + 60_000 - now) / 1000)
      return apiError(429, 'rate_limited', `Too many requests; retry in ${wait} s`, {
        'retry-after': String(wait),
      })
    }
  }
  return undefined
}

const encodeCursor = (invoice: Invoice) =>
  Buffer.from(`${invoice.updatedAt}|${invoice.id}`).toString('base64url')

function decodeCursor(cursor: string): [string, string] | undefined {
  const text = Buffer.from(cursor, 'base64url').toString()
  const bar = text.indexOf('|')
  return bar < 0 ? undefined : [text.slice(0, bar), text.slice(bar + 1)]
}

/** Mounts the API routes. */
export function apiRoutes(app: Hono, state: BillingState): void {
  app.post('/oauth/token', async (c) => {
    const form = new URLSearchParams(await c.req.text())
    const credentials = basicCredentials(c.req.header('authorization'))
    if (form.get('grant_type') !== 'client_credentials')
      return c.json(
        { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' },
        400,
      )
    if (!credentials || state.clients.get(credentials[0]) !== credentials[1])
      return c.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401)
    const { token, expiresIn } = issueToken(state)
    return c.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: form.get('scope') ?? '',
    })
  })

  app.get('/api/v1/account', (c) => {
    return (
      gate(state, c.req.header('authorization')) ??
      c.json({ id: 'acct_demo', name: 'Demo CSP Billing', currency: 'USD' })
    )
  })

  app.get('/api/v1/invoices', (c) => {
    const refused = gate(state, c.req.header('authorization'))
    if (refused) return refused
    const status = c.req.query('status')
    const since = c.req.query('updated_since')
    const limitText = c.req.query('limit') ?? '25'
    const limit = Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return apiError(400, 'parameter_invalid', `limit must be a whole number from 1 to ${MAX_LIMIT}`)
    if (since !== undefined && Number.isNaN(Date.parse(since)))
      return apiError(400, 'parameter_invalid', 'updated_since must be an ISO 8601 date-time')
    const cursorText = c.req.query('cursor')
    const after = cursorText ? decodeCursor(cursorText) : undefined
    if (cursorText && !after) return apiError(400, 'parameter_invalid', 'cursor is not one this API issued')
    const matching = [...state.invoices.values()]
      .filter((i) => (status ? i.status === status : i.status !== 'draft'))
      .filter((i) => since === undefined || Date.parse(i.updatedAt) >= Date.parse(since))
      .sort((a, b) =>
        a.updatedAt === b.updatedAt ? a.id.localeCompare(b.id) : a.updatedAt < b.updatedAt ? -1 : 1,
      )
      .filter((i) => !after || i.updatedAt > after[0] || (i.updatedAt === after[0] && i.id > after[1]))
    const page = matching.slice(0, limit)
    const more = matching.length > limit
    return c.json({ data: page, has_more: more, next_cursor: more ? encodeCursor(page.at(-1)!) : null })
  })

  app.get('/api/v1/invoices/:id', (c) => {
    const refused = gate(state, c.req.header('authorization'))
    if (refused) return refused
    const invoice = state.invoices.get(c.req.param('id'))
    if (!invoice || invoice.status === 'draft')
      return apiError(404, 'resource_missing', `No such invoice: '${c.req.param('id')}'`)
    return c.json(invoice)
  })
}

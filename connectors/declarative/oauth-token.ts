/**
 * OAuth 2.0 token requests of a declared connector (client credentials, authorization code, refresh),
 * sent through `ctx.fetch`. Access tokens are cached in `ctx.memo` and renewed ahead of expiry, one
 * request in flight at a time; a rotated refresh token is stored under a cross-process lock so two
 * workers never spend the same one.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import {
  ConnectorError,
  isConnectorError,
  parseRetryAfter,
  redactSecrets,
} from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'
import type { OAuthClientAuth } from '../../core/manifest/connector-auth-schema.ts'
import { type CompiledTemplate, compileTemplate } from './compile-template.ts'

/** The templates of an OAuth client, compiled. */
export interface OAuthClient {
  tokenUrl: CompiledTemplate
  clientId: CompiledTemplate
  clientSecret: CompiledTemplate
  scopes?: string[]
  clientAuth: 'body' | 'basic'
  params: [string, CompiledTemplate][]
}

/** A token endpoint's answer. */
export interface TokenResponse {
  access_token: string
  expires_in?: number
  refresh_token?: string
}

interface CachedToken {
  value: string
  refreshAt: number
}

/** Where the refresh token of an authorization-code connection is kept. */
export const REFRESH_TOKEN_KEY = 'oauth.refreshToken'
const TOKEN_KEY = 'oauth.token'
const INFLIGHT_KEY = 'oauth.token.inflight'

/** Compiles the OAuth client part of an auth section. */
export function compileOAuthClient(spec: OAuthClientAuth, where: string): OAuthClient {
  return {
    tokenUrl: compileTemplate(spec.tokenUrl, `${where}.tokenUrl`),
    clientId: compileTemplate(spec.clientId, `${where}.clientId`),
    clientSecret: compileTemplate(spec.clientSecret, `${where}.clientSecret`),
    scopes: spec.scopes,
    clientAuth: spec.clientAuth ?? 'body',
    params: Object.entries(spec.params ?? {}).map(([k, v]) => [
      k,
      compileTemplate(v, `${where}.params.${k}`),
    ]),
  }
}

/** Posts a grant to the token endpoint; failures are `auth` (refused) or retryable errors. */
export async function requestToken(
  ctx: ConnectorContext,
  client: OAuthClient,
  grant: Record<string, string>,
  secrets: readonly string[],
): Promise<TokenResponse> {
  const context = { config: ctx.config }
  const clientId = await client.clientId.text(context)
  const clientSecret = await client.clientSecret.text(context)
  const form = new URLSearchParams(grant)
  if (client.scopes?.length && !form.has('scope')) form.set('scope', client.scopes.join(' '))
  for (const [name, template] of client.params) {
    const value = await template.value(context)
    if (value !== undefined) form.set(name, String(value))
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  if (client.clientAuth === 'basic') {
    const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
  } else {
    form.set('client_id', clientId)
    form.set('client_secret', clientSecret)
  }
  const url = await client.tokenUrl.text(context)
  const known = [...secrets, clientSecret, grant.refresh_token ?? '', grant.code ?? '']
  let response: Response
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'manual',
      signal: ctx.signal,
    })
  } catch (error) {
    // The egress policy's refusal (config) is already the right error.
    if (isConnectorError(error)) throw error
    const detail = redactSecrets(error instanceof Error ? error.message : String(error), known)
    throw new ConnectorError('transient', `Could not reach the token endpoint: ${detail}`)
  }
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(text) as unknown
    // `null` or an array is as useless as no JSON, and must not become a TypeError below.
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>
  } catch {}
  if (response.ok && typeof body.access_token === 'string') return body as unknown as TokenResponse
  const code = typeof body.error === 'string' ? body.error : undefined
  const message = redactSecrets(
    [code, typeof body.error_description === 'string' ? body.error_description : undefined]
      .filter(Boolean)
      .join(': ') || remoteText(text, [], 300),
    known,
  )
  if (response.status === 429)
    throw new ConnectorError('rate_limited', `The token endpoint asked us to slow down: ${message}`, {
      status: 429,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    })
  if (response.status >= 500)
    throw new ConnectorError('transient', `The token endpoint answered ${response.status}: ${message}`, {
      status: response.status,
    })
  throw new ConnectorError(
    'auth',
    `The token endpoint refused the credentials (${response.status}): ${message || 'no reason given'}. Check the client id and secret.`,
    { status: response.status, remoteCode: code, remoteMessage: message || undefined },
  )
}

/** Caches an access token: renewed at most 5 minutes early, and never later than 90% into its life. */
export function cacheToken(ctx: ConnectorContext, token: TokenResponse): string {
  const lifetime = (typeof token.expires_in === 'number' ? token.expires_in : 3600) * 1000
  const cached: CachedToken = {
    value: token.access_token,
    refreshAt: ctx.now().getTime() + lifetime - Math.min(300_000, lifetime / 10),
  }
  ctx.memo.set(TOKEN_KEY, cached)
  return cached.value
}

/** A valid access token from the cache or `fetchToken` (one fetch in flight per connection and process). */
export async function cachedToken(
  ctx: ConnectorContext,
  fetchToken: () => Promise<TokenResponse>,
): Promise<string> {
  const cached = ctx.memo.get(TOKEN_KEY) as CachedToken | undefined
  if (cached && ctx.now().getTime() < cached.refreshAt) return cached.value
  let inflight = ctx.memo.get(INFLIGHT_KEY) as Promise<string> | undefined
  if (!inflight) {
    inflight = fetchToken()
      .then((token) => cacheToken(ctx, token))
      .finally(() => ctx.memo.delete(INFLIGHT_KEY))
    ctx.memo.set(INFLIGHT_KEY, inflight)
  }
  return inflight
}

/** Forgets the cached token (the API refused it); the next call fetches a new one. */
export function dropToken(ctx: ConnectorContext): void {
  ctx.memo.delete(TOKEN_KEY)
}

/** The cached token's value, for redaction. */
export function currentToken(ctx: ConnectorContext): string | undefined {
  return (ctx.memo.get(TOKEN_KEY) as CachedToken | undefined)?.value
}

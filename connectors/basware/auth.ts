/**
 * Credentials for Basware calls. OAuth2 client credentials: `POST {base}/v1/tokens` with HTTP Basic
 * client authentication and a form body; tokens live about an hour and come without a refresh token,
 * so a new one is fetched shortly before expiry, one fetch at a time per process (single-flight).
 * Basic API-user authentication is the documented alternative.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../core/connector/json-answer.ts'
import { type Config, configSecrets, DEFAULT_SCOPES, resolveBaseUrl } from './config.ts'
import { errorFromResponse, networkError } from './errors.ts'

interface CachedToken {
  accessToken: string
  renewAt: number
}

interface TokenSlot {
  token?: CachedToken
  pending?: Promise<CachedToken>
}

/** Renew this long before expiry: five minutes, or a tenth of short lifetimes. */
function renewMarginMs(expiresInSeconds: number): number {
  return Math.min(300_000, expiresInSeconds * 100)
}

function slot(ctx: ConnectorContext<Config>): TokenSlot {
  const key = `basware:token:${resolveBaseUrl(ctx.config)}:${ctx.config.clientId ?? ''}`
  let found = ctx.memo.get(key) as TokenSlot | undefined
  if (!found) {
    found = {}
    ctx.memo.set(key, found)
  }
  return found
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

async function requestToken(ctx: ConnectorContext<Config>): Promise<CachedToken> {
  const { clientId, clientSecret } = ctx.config
  if (!clientId || !clientSecret)
    throw new ConnectorError('config', 'Set clientId and clientSecret for OAuth2, or choose authMode basic.')
  const url = `${resolveBaseUrl(ctx.config)}/v1/tokens`
  const scope = ctx.config.scopes?.trim() || DEFAULT_SCOPES.join(' ')
  const secrets = configSecrets(ctx.config)
  const requestedAt = ctx.now().getTime()
  let response: Response
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
      signal: ctx.signal,
    })
  } catch (e) {
    throw networkError('POST /v1/tokens', e, secrets)
  }
  const text = await response.text()
  if (!response.ok) {
    const error = errorFromResponse('POST /v1/tokens', response, text, secrets, requestedAt)
    if (response.status === 401) {
      throw new ConnectorError(
        'auth',
        'Basware refused the client credentials (invalid_client): check clientId and clientSecret for this region/host.',
        { status: 401, remoteCode: error.remoteCode },
      )
    }
    if (response.status === 400 || response.status === 422) {
      throw new ConnectorError(
        'config',
        `Basware answered ${response.status} to the token request: ${error.remoteMessage ?? 'bad request'}. Check the scopes setting.`,
        { status: response.status, remoteCode: error.remoteCode, remoteMessage: error.remoteMessage },
      )
    }
    throw error
  }
  const body = jsonAnswer<{ access_token?: string; expires_in?: number } | null>(
    text,
    "Basware's answer to POST /v1/tokens",
  )
  if (!body?.access_token || typeof body.access_token !== 'string')
    throw new ConnectorError('transient', 'Basware answered the token request without an access_token.')
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600
  ctx.log.debug('basware token obtained', { expiresInSeconds: expiresIn })
  return {
    accessToken: body.access_token,
    renewAt: requestedAt + expiresIn * 1000 - renewMarginMs(expiresIn),
  }
}

/** The Authorization header value for the next API call. */
export async function authorization(ctx: ConnectorContext<Config>): Promise<string> {
  if (ctx.config.authMode === 'basic') {
    const { username, password } = ctx.config
    if (!username || !password)
      throw new ConnectorError('config', 'authMode basic needs username and password (the Basware API user).')
    return basic(username, password)
  }
  const s = slot(ctx)
  if (s.token && ctx.now().getTime() < s.token.renewAt) return `Bearer ${s.token.accessToken}`
  s.pending ??= requestToken(ctx).then(
    (token) => {
      s.token = token
      s.pending = undefined
      return token
    },
    (error: unknown) => {
      s.pending = undefined
      throw error
    },
  )
  return `Bearer ${(await s.pending).accessToken}`
}

/** Drops a token Basware refused (401), unless another call already replaced it. */
export function invalidateToken(ctx: ConnectorContext<Config>, header: string): void {
  if (ctx.config.authMode === 'basic') return
  const s = slot(ctx)
  if (s.token && header === `Bearer ${s.token.accessToken}`) s.token = undefined
}

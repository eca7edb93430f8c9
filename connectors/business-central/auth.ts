/**
 * Access tokens for BC, obtained with openid-client against the Entra v2 token endpoint.
 *
 * Client credentials (default) or a delegated user's refresh token (`authMode: 'delegated'`). Tokens
 * are cached in `ctx.memo` and renewed ahead of expiry; however many calls wait, one token request is
 * in flight. Rotated refresh tokens are persisted under a cross-process lock so two workers never
 * spend the same refresh token.
 */
import * as oidc from 'openid-client'
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { authorityRoot, bcScope, type Config, configSecrets } from './config.ts'
import { tokenError } from './token-error.ts'

/** A cached access token. */
interface CachedToken {
  value: string
  expiresAt: number
  refreshAt: number
}

/** Key of the delegated refresh token in `ctx.state`. */
export const refreshTokenKey = 'bc.refreshToken'
const tokenKey = 'bc.token'
const inflightKey = 'bc.token.inflight'
const clientKey = 'bc.oidc'

/** The openid-client configuration of the connection's Entra tenant, built once per memo. */
export function entraClient(ctx: ConnectorContext<Config>): oidc.Configuration {
  const cached = ctx.memo.get(clientKey) as oidc.Configuration | undefined
  if (cached) return cached
  const root = authorityRoot(ctx.config)
  const issuer = root.replace(/\/oauth2\/v2\.0$/, '/v2.0')
  const client = new oidc.Configuration(
    { issuer, token_endpoint: `${root}/token`, authorization_endpoint: `${root}/authorize` },
    ctx.config.clientId,
    undefined,
    oidc.ClientSecretPost(ctx.config.clientSecret),
  )
  client[oidc.customFetch] = (url, options) => ctx.fetch(url, options as RequestInit)
  if (root.startsWith('http://')) oidc.allowInsecureRequests(client)
  ctx.memo.set(clientKey, client)
  return client
}

/** Renew at most 5 minutes early, and never later than 90% into a short lifetime. */
function cache(
  ctx: ConnectorContext<Config>,
  value: string,
  expiresInSeconds: number | undefined,
): CachedToken {
  const lifetimeMs = (expiresInSeconds ?? 3600) * 1000
  const now = ctx.now().getTime()
  const token = {
    value,
    expiresAt: now + lifetimeMs,
    refreshAt: now + lifetimeMs - Math.min(300_000, lifetimeMs / 10),
  }
  ctx.memo.set(tokenKey, token)
  return token
}

async function requestToken(ctx: ConnectorContext<Config>): Promise<CachedToken> {
  const client = entraClient(ctx)
  try {
    if (ctx.config.authMode !== 'delegated') {
      const response = await oidc.clientCredentialsGrant(client, { scope: bcScope })
      return cache(ctx, response.access_token, response.expires_in)
    }
    return await ctx.state.withLock(refreshTokenKey, async () => {
      const refreshToken = await ctx.state.get<string>(refreshTokenKey)
      if (!refreshToken) {
        throw new ConnectorError(
          'auth',
          'No user has signed in for this connection yet: run the delegated consent flow.',
        )
      }
      const response = await oidc.refreshTokenGrant(client, refreshToken)
      if (response.refresh_token) await ctx.state.set(refreshTokenKey, response.refresh_token)
      return cache(ctx, response.access_token, response.expires_in)
    })
  } catch (error) {
    throw tokenError(error, configSecrets(ctx.config))
  }
}

/**
 * A valid access token. Reuses the cached one until its refresh time; `rejected` names a token the
 * API just refused, which is then never returned again.
 */
export async function accessToken(ctx: ConnectorContext<Config>, rejected?: string): Promise<string> {
  const cached = ctx.memo.get(tokenKey) as CachedToken | undefined
  if (cached && cached.value !== rejected && ctx.now().getTime() < cached.refreshAt) return cached.value
  let inflight = ctx.memo.get(inflightKey) as Promise<CachedToken> | undefined
  if (!inflight) {
    inflight = requestToken(ctx).finally(() => ctx.memo.delete(inflightKey))
    ctx.memo.set(inflightKey, inflight)
  }
  return (await inflight).value
}

/** Stores the tokens a delegated sign-in produced (used by the consent callback). */
export async function storeDelegatedTokens(
  ctx: ConnectorContext<Config>,
  response: { access_token: string; refresh_token?: string; expires_in?: number },
): Promise<void> {
  if (!response.refresh_token) {
    throw new ConnectorError(
      'config',
      'Entra returned no refresh token: the offline_access scope was not granted.',
    )
  }
  await ctx.state.set(refreshTokenKey, response.refresh_token)
  cache(ctx, response.access_token, response.expires_in)
}

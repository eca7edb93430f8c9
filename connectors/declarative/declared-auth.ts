/**
 * The auth kinds of a declared connector as one interface: put credentials on a request, drop a
 * refused token, prove credentials in `check`, and (authorization code) run the consent.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ConnectorContext, DelegatedAuth } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { ConnectorAuth } from '../../core/manifest/connector-auth-schema.ts'
import { compileTemplate } from './compile-template.ts'
import {
  cachedToken,
  cacheToken,
  compileOAuthClient,
  currentToken,
  dropToken,
  REFRESH_TOKEN_KEY,
  requestToken,
} from './oauth-token.ts'

/** Credentials for requests. */
export interface Authorizer {
  /** Adds credentials to a request about to be sent. */
  apply(
    ctx: ConnectorContext,
    url: URL,
    headers: Record<string, string>,
    secrets: readonly string[],
  ): Promise<void>
  /** The remote refused the credentials: true when retrying with fresh ones may help (a token was dropped). */
  refused(ctx: ConnectorContext): boolean
  /** Obtains credentials without calling the API (check of a connection without a check request). */
  prove(ctx: ConnectorContext, secrets: readonly string[]): Promise<void>
  /** Values to scrub besides the config's secrets (the current token). */
  liveSecrets(ctx: ConnectorContext): string[]
  delegatedAuth?: DelegatedAuth
}

const none: Authorizer = {
  apply: async () => {},
  refused: () => false,
  prove: async () => {},
  liveSecrets: () => [],
}

const verifierKey = (state: string) => `oauth.pkce.${state}`

/** Compiles the `auth` section (default none). */
export function compileAuth(auth: ConnectorAuth | undefined): Authorizer {
  if (auth === undefined || auth === 'none') return none
  if ('apiKey' in auth) {
    const spec = auth.apiKey
    const value = compileTemplate(spec.value, 'auth.apiKey.value')
    return {
      ...none,
      async apply(ctx, url, headers) {
        const key = await value.text({ config: ctx.config })
        if ((spec.in ?? 'header') === 'query') url.searchParams.set(spec.name, key)
        else headers[spec.name.toLowerCase()] = key
      },
    }
  }
  if ('basic' in auth) {
    const username = compileTemplate(auth.basic.username, 'auth.basic.username')
    const password = compileTemplate(auth.basic.password, 'auth.basic.password')
    return {
      ...none,
      async apply(ctx, _url, headers) {
        const context = { config: ctx.config }
        const pair = `${await username.text(context)}:${await password.text(context)}`
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
      },
    }
  }
  const code = 'authorizationCode' in auth ? auth.authorizationCode : undefined
  const client =
    'authorizationCode' in auth
      ? compileOAuthClient(auth.authorizationCode, 'auth.authorizationCode')
      : compileOAuthClient(auth.clientCredentials, 'auth.clientCredentials')
  const token = (ctx: ConnectorContext, secrets: readonly string[]) =>
    cachedToken(ctx, async () => {
      if (!code) return requestToken(ctx, client, { grant_type: 'client_credentials' }, secrets)
      return ctx.state.withLock(REFRESH_TOKEN_KEY, async () => {
        const refresh = await ctx.state.get<string>(REFRESH_TOKEN_KEY)
        if (!refresh)
          throw new ConnectorError(
            'auth',
            'No user has signed in for this connection yet: run the consent (Connect) first.',
          )
        const answer = await requestToken(
          ctx,
          client,
          { grant_type: 'refresh_token', refresh_token: refresh },
          secrets,
        )
        if (answer.refresh_token && answer.refresh_token !== refresh)
          await ctx.state.set(REFRESH_TOKEN_KEY, answer.refresh_token)
        return answer
      })
    })
  const authorizer: Authorizer = {
    async apply(ctx, _url, headers, secrets) {
      headers.authorization = `Bearer ${await token(ctx, secrets)}`
    },
    refused(ctx) {
      dropToken(ctx)
      return true
    },
    async prove(ctx, secrets) {
      await token(ctx, secrets)
    },
    liveSecrets: (ctx) => [currentToken(ctx) ?? ''].filter(Boolean),
  }
  if (!code) return authorizer
  const authorizeUrl = compileTemplate(code.authorizeUrl, 'auth.authorizationCode.authorizeUrl')
  authorizer.delegatedAuth = {
    async begin(ctx, req) {
      const verifier = randomBytes(32).toString('base64url')
      await ctx.state.set(verifierKey(req.state), { verifier, redirectUri: req.redirectUri })
      const url = new URL(await authorizeUrl.text({ config: ctx.config }))
      url.searchParams.set('response_type', 'code')
      url.searchParams.set('client_id', await client.clientId.text({ config: ctx.config }))
      url.searchParams.set('redirect_uri', req.redirectUri)
      url.searchParams.set('state', req.state)
      if (client.scopes?.length) url.searchParams.set('scope', client.scopes.join(' '))
      if (code.pkce !== false) {
        url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'))
        url.searchParams.set('code_challenge_method', 'S256')
      }
      return { url: url.href }
    },
    async complete(ctx, req) {
      const pending = await ctx.state.get<{ verifier: string; redirectUri: string }>(verifierKey(req.state))
      if (!pending)
        throw new ConnectorError('auth', 'The sign-in expired or was already used: start the consent again.')
      await ctx.state.delete(verifierKey(req.state))
      const callback = new URL(req.callbackUrl)
      if (callback.searchParams.get('state') !== req.state)
        throw new ConnectorError(
          'auth',
          'The sign-in answer does not belong to this consent (state mismatch).',
        )
      const denied = callback.searchParams.get('error')
      if (denied)
        throw new ConnectorError(
          'auth',
          `The sign-in was refused: ${denied} ${callback.searchParams.get('error_description') ?? ''}`.trim(),
        )
      const grant: Record<string, string> = {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: pending.redirectUri,
      }
      if (code.pkce !== false) grant.code_verifier = pending.verifier
      const answer = await requestToken(ctx, client, grant, [])
      if (!answer.refresh_token)
        throw new ConnectorError(
          'config',
          'The token endpoint returned no refresh token: ask for offline access in scopes.',
        )
      await ctx.state.set(REFRESH_TOKEN_KEY, answer.refresh_token)
      cacheToken(ctx, answer)
    },
  }
  return authorizer
}

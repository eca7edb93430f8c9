/**
 * Delegated access: authorization code + PKCE against Entra. `begin` keeps the PKCE verifier in
 * `ctx.state` under the OAuth `state`; `complete` exchanges the code and persists the refresh token.
 */
import * as oidc from 'openid-client'
import type { ConnectorContext, DelegatedAuth } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { entraClient, storeDelegatedTokens } from './auth.ts'
import { bcScope, type Config, configSecrets } from './config.ts'
import { tokenError } from './token-error.ts'

const verifierKey = (state: string) => `bc.pkce.${state}`

/** Authorization code + PKCE for a signed-in BC user; refresh tokens rotate on every use. */
export const delegatedAuth: DelegatedAuth<Config> = {
  async begin(ctx: ConnectorContext<Config>, req) {
    const verifier = oidc.randomPKCECodeVerifier()
    await ctx.state.set(verifierKey(req.state), { verifier, redirectUri: req.redirectUri })
    const scope = [bcScope, 'offline_access', ...(ctx.config.delegatedScopes ?? [])].join(' ')
    const url = oidc.buildAuthorizationUrl(entraClient(ctx), {
      redirect_uri: req.redirectUri,
      response_type: 'code',
      scope,
      state: req.state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    return { url: url.href }
  },

  async complete(ctx: ConnectorContext<Config>, req) {
    const pending = await ctx.state.get<{ verifier: string; redirectUri: string }>(verifierKey(req.state))
    if (!pending)
      throw new ConnectorError('auth', 'The sign-in expired or was already used: start the consent again.')
    await ctx.state.delete(verifierKey(req.state))
    try {
      const response = await oidc.authorizationCodeGrant(
        entraClient(ctx),
        new URL(req.callbackUrl),
        { pkceCodeVerifier: pending.verifier, expectedState: req.state },
        { redirect_uri: pending.redirectUri },
      )
      await storeDelegatedTokens(ctx, response)
    } catch (error) {
      throw tokenError(error, configSecrets(ctx.config))
    }
  },
}

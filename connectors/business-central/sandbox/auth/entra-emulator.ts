/**
 * An Entra ID v2 token endpoint for one tenant: client credentials, authorization code with PKCE
 * (S256) and refresh tokens that rotate on every use (a spent refresh token is `invalid_grant`).
 * Access tokens are opaque here and expire after `settings.accessTokenLifetimeSeconds`; errors use
 * Entra's `{ error, error_description }` shape with the AADSTS codes connectors key on.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { SandboxState } from '../state/sandbox-state.ts'
import { consentPage } from './consent-page.ts'

/** Who a token speaks for. */
export interface Principal {
  clientId: string
  /** Set for delegated tokens. */
  user?: string
  tenantId: string
}

interface IssuedToken extends Principal {
  expiresAt: number
}

const random = () => randomBytes(24).toString('base64url')

/** The user who signs in at the emulator's consent page. */
const DEMO_USER = 'demo.user@cronus.vn'

/** The tenant's token service. */
export class EntraEmulator {
  private readonly accessTokens = new Map<string, IssuedToken>()
  private readonly refreshTokens = new Map<string, Principal>()
  private readonly codes = new Map<
    string,
    Principal & { redirectUri: string; challenge: string; scope: string }
  >()

  constructor(private readonly state: SandboxState) {}

  /** The principal of a valid, unexpired access token. */
  principalOf(token: string): Principal | undefined {
    const issued = this.accessTokens.get(token)
    if (!issued || issued.expiresAt <= this.state.now().getTime()) return undefined
    return issued
  }

  /** Revokes every refresh token (an admin revocation or password reset). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear()
  }

  /** Expires every access token now, as if their lifetime had passed. */
  expireAccessTokens(): void {
    this.accessTokens.clear()
  }

  private issue(principal: Principal, scope: string, withRefresh: boolean): Record<string, unknown> {
    const lifetime = this.state.settings.accessTokenLifetimeSeconds
    const accessToken = `sbx.${random()}`
    this.accessTokens.set(accessToken, {
      ...principal,
      expiresAt: this.state.now().getTime() + lifetime * 1000,
    })
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope,
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    }
    if (withRefresh) {
      const refreshToken = `sbr.${random()}`
      this.refreshTokens.set(refreshToken, principal)
      body.refresh_token = refreshToken
    }
    return body
  }

  /**
   * `/{tenant}/oauth2/v2.0/authorize`, once the request is valid: `GET` (with `pageUrl`, where the
   * page posts back) shows the demo user's sign-in and consent page; `POST` from that page with
   * `consent=accept` redirects with a code, anything else with Entra's `access_denied`.
   */
  authorize(tenant: string, params: URLSearchParams, pageUrl?: string): Response {
    const invalid = this.checkAuthorize(tenant, params)
    if (invalid) return invalid
    if (pageUrl !== undefined)
      return consentPage({ action: pageUrl, params, user: DEMO_USER, appName: 'Ferry' })
    const consent = params.get('consent')
    const target = new URL(params.get('redirect_uri') ?? '')
    if (consent !== 'accept') {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.')
      if (params.get('state')) target.searchParams.set('state', params.get('state')!)
      return new Response(null, { status: 302, headers: { location: target.href } })
    }
    return this.issueCode(params)
  }

  private checkAuthorize(tenant: string, params: URLSearchParams): Response | undefined {
    if (!this.knowsTenant(tenant))
      return this.error(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`)
    const clientId = params.get('client_id') ?? ''
    const redirectUri = params.get('redirect_uri') ?? ''
    if (!this.state.apps.has(clientId)) {
      return this.error(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
      )
    }
    if (
      params.get('response_type') !== 'code' ||
      params.get('code_challenge_method') !== 'S256' ||
      !params.get('code_challenge')
    ) {
      return this.error(
        400,
        'invalid_request',
        'AADSTS9002325: Proof Key for Code Exchange is required for this request.',
      )
    }
    if (!URL.canParse(redirectUri))
      return this.error(
        400,
        'invalid_request',
        `AADSTS50011: The redirect URI '${redirectUri}' is not valid.`,
      )
    return undefined
  }

  private issueCode(params: URLSearchParams): Response {
    const clientId = params.get('client_id') ?? ''
    const redirectUri = params.get('redirect_uri') ?? ''
    const code = random()
    this.codes.set(code, {
      clientId,
      user: DEMO_USER,
      tenantId: this.state.tenantId,
      redirectUri,
      challenge: params.get('code_challenge')!,
      scope: params.get('scope') ?? '',
    })
    const target = new URL(redirectUri)
    target.searchParams.set('code', code)
    if (params.get('state')) target.searchParams.set('state', params.get('state')!)
    return new Response(null, { status: 302, headers: { location: target.href } })
  }

  /** `POST /{tenant}/oauth2/v2.0/token`. */
  token(tenant: string, form: URLSearchParams, authorization: string | null): Response {
    if (!this.knowsTenant(tenant))
      return this.error(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`)
    let clientId = form.get('client_id') ?? ''
    let secret = form.get('client_secret') ?? ''
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const [id, pass] = Buffer.from(authorization.slice(6), 'base64').toString().split(':')
      clientId = decodeURIComponent(id ?? '')
      secret = decodeURIComponent(pass ?? '')
    }
    const app = this.state.apps.get(clientId)
    if (!app) {
      return this.error(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
      )
    }
    if (app.clientSecret !== secret) {
      return this.error(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      )
    }
    if (!app.consented) {
      return this.error(
        400,
        'invalid_grant',
        `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}'.`,
      )
    }
    const grant = form.get('grant_type')
    const principal: Principal = { clientId, tenantId: this.state.tenantId }
    if (grant === 'client_credentials') {
      const scope = form.get('scope') ?? ''
      if (!scope.endsWith('/.default')) {
        return this.error(
          400,
          'invalid_scope',
          `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
        )
      }
      return Response.json(this.issue(principal, scope, false))
    }
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '')
      this.codes.delete(form.get('code') ?? '')
      if (!code || code.clientId !== clientId) {
        return this.error(
          400,
          'invalid_grant',
          'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',
        )
      }
      if (code.redirectUri !== form.get('redirect_uri')) {
        return this.error(
          400,
          'invalid_grant',
          'AADSTS50148: The redirect_uri does not match the one used in the authorization request.',
        )
      }
      const verifier = form.get('code_verifier') ?? ''
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return this.error(
          400,
          'invalid_grant',
          'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        )
      }
      return Response.json(
        this.issue({ ...principal, user: code.user }, code.scope, code.scope.includes('offline_access')),
      )
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? ''
      const owner = this.refreshTokens.get(token)
      this.refreshTokens.delete(token)
      if (!owner || owner.clientId !== clientId) {
        return this.error(
          400,
          'invalid_grant',
          'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.',
        )
      }
      return Response.json(
        this.issue(owner, 'https://api.businesscentral.dynamics.com/.default offline_access', true),
      )
    }
    return this.error(
      400,
      'unsupported_grant_type',
      `AADSTS70003: The app requested an unsupported grant type '${grant}'.`,
    )
  }

  private knowsTenant(tenant: string): boolean {
    return (
      tenant === this.state.tenantId ||
      tenant === 'organizations' ||
      tenant === 'common' ||
      tenant === 'cronus.vn'
    )
  }

  private error(status: number, error: string, description: string): Response {
    return Response.json(
      {
        error,
        error_description: `${description}\r\nTrace ID: ${random()}\r\nTimestamp: ${this.state.now().toISOString()}`,
        error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
      },
      { status },
    )
  }
}

/**
 * Basware's token endpoint and the API's credential check: OAuth2 client credentials at `/v1/tokens`
 * (HTTP Basic client authentication, form body, no refresh token), Bearer tokens with per-API scopes
 * (`<api>.read|write|delete`), and Basic API-user credentials as the documented alternative.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { SandboxSettings } from '../state/sandbox-settings.ts'

/** An API client registered with the tenant. */
export interface ApiClient {
  clientId: string
  clientSecret: string
  /** Scopes this client may be granted. */
  scopes: readonly string[]
}

/** A Basware-issued API user for Basic authentication. */
export interface ApiUser {
  username: string
  password: string
}

interface IssuedToken {
  clientId: string
  scopes: Set<string>
  expiresAt: number
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function decodeBasic(header: string | undefined): [string, string] | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '')
  if (!match) return null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

const jsonReply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** The scope a request needs: `<first path segment>.<read|write|delete>`. */
export function requiredScope(method: string, apiPath: string): string {
  const api = apiPath.split('/')[2] ?? ''
  const access = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'write'
  return `${api}.${access}`
}

/** Issues and checks credentials against the sandbox clock. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>()

  constructor(
    private readonly clients: ApiClient[],
    private readonly users: ApiUser[],
    private readonly settings: SandboxSettings,
    private readonly now: () => Date,
    private readonly issuer: string,
  ) {}

  /** Answers `POST /v1/tokens`. */
  async issue(request: Request): Promise<Response> {
    const basic = decodeBasic(request.headers.get('authorization') ?? undefined)
    const client = basic && this.clients.find((c) => c.clientId === basic[0] && c.clientSecret === basic[1])
    if (!client) return jsonReply(401, { error: 'invalid_client' })
    const type = request.headers.get('content-type') ?? ''
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return jsonReply(422, { detail: [{ loc: ['body'], msg: 'form body required', type: 'value_error' }] })
    }
    const form = new URLSearchParams(await request.text())
    const grantType = form.get('grant_type')
    if (!grantType)
      return jsonReply(400, { error: 'invalid_request', error_description: 'grant_type field required' })
    if (grantType !== 'client_credentials') return jsonReply(400, { error: 'unsupported_grant_type' })
    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean)
    if (requested.length === 0)
      return jsonReply(400, { error: 'invalid_request', error_description: 'scope field required' })
    const granted = requested.filter((s) => client.scopes.includes(s))
    if (granted.length === 0) return jsonReply(400, { error: 'invalid_scope' })
    const iat = Math.floor(this.now().getTime() / 1000)
    const exp = iat + this.settings.tokenTtlSeconds
    const jti = randomUUID()
    const payload = {
      sub: client.clientId,
      scope: granted.join(' '),
      auth_time: iat,
      iss: this.issuer,
      aud: 'OpenAPI',
      exp,
      iat,
      jti,
      bwcid: 'VN01-SANDBOX',
    }
    const token = `${b64url({ alg: 'RS256', typ: 'at+jwt' })}.${b64url(payload)}.${randomBytes(32).toString('base64url')}`
    if (this.tokens.size > 1_000) this.prune()
    this.tokens.set(token, { clientId: client.clientId, scopes: new Set(granted), expiresAt: exp * 1000 })
    return jsonReply(200, {
      access_token: token,
      scope: payload.scope,
      expires_in: this.settings.tokenTtlSeconds,
      token_type: 'Bearer',
    })
  }

  /** Checks a request's credentials; returns the 401 to send, or null when it may proceed. */
  authenticate(authorization: string | undefined, method: string, apiPath: string): Response | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    if (bearer) {
      const token = this.tokens.get(bearer[1]!)
      if (!token || token.expiresAt <= this.now().getTime())
        return jsonReply(401, { message: 'Unauthorized' })
      const scope = requiredScope(method, apiPath)
      if (!token.scopes.has(scope))
        return jsonReply(401, { message: `Unauthorized: the token lacks scope ${scope}` })
      return null
    }
    const basic = decodeBasic(authorization)
    if (basic && this.users.some((u) => u.username === basic[0] && u.password === basic[1])) return null
    return jsonReply(401, { message: 'Unauthorized' })
  }

  /** Makes every issued token expired (a 401 mid-paging, as after a real expiry). */
  expireAll(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0
  }

  /** Forgets expired tokens so long benchmark runs stay small. */
  prune(): void {
    const now = this.now().getTime()
    for (const [key, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(key)
  }
}

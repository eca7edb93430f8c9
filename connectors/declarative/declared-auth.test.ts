import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { declared, readAll, remoteContext } from './test-env.ts'

const base = (auth: string, config = '') => `version: 1
id: auth-test
title: Auth test
config:
  baseUrl: { type: string }
  apiKey: { type: string, secret: true }
  username: { type: string }
  password: { type: string, secret: true }
  clientId: { type: string }
  clientSecret: { type: string, secret: true }
${config}
baseUrl: "{{ config.baseUrl }}"
auth:
${auth}
streams:
  things:
    description: Things.
    read: { path: /things }
`

/** A token endpoint and an API that accepts only the tokens it issued (and lets tests revoke them). */
function oauthRemote(options: { expiresIn?: number; rotate?: boolean } = {}) {
  const issued = new Set<string>()
  const refreshTokens = new Set<string>()
  const grants: URLSearchParams[] = []
  let n = 0
  const app = new Hono()
  app.post('/token', async (c) => {
    const form = new URLSearchParams(await c.req.text())
    grants.push(form)
    const basic = c.req.header('authorization')
    const [id, secret] = basic
      ? Buffer.from(basic.slice(6), 'base64').toString().split(':')
      : [form.get('client_id'), form.get('client_secret')]
    if (id !== 'client-1' || secret !== 'client-secret-1')
      return c.json({ error: 'invalid_client', error_description: 'unknown client' }, 401)
    let refresh: string | undefined
    if (form.get('grant_type') === 'refresh_token') {
      const presented = form.get('refresh_token')!
      if (!refreshTokens.has(presented))
        return c.json({ error: 'invalid_grant', error_description: 'refresh token spent' }, 400)
      if (options.rotate) {
        refreshTokens.delete(presented)
        refresh = `refresh-${++n}`
      }
    }
    if (form.get('grant_type') === 'authorization_code') refresh = `refresh-${++n}`
    if (refresh) refreshTokens.add(refresh)
    const token = `token-${++n}`
    issued.add(token)
    return c.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.expiresIn ?? 3600,
      ...(refresh ? { refresh_token: refresh } : {}),
    })
  })
  app.get('/things', (c) => {
    const token = c.req.header('authorization')?.slice(7) ?? ''
    return issued.has(token) ? c.json([{ id: 1 }]) : c.json({ message: 'token expired' }, 401)
  })
  return { app, issued, grants, refreshTokens }
}

const clientCredentials = (clientAuth = 'basic') => `  clientCredentials:
    tokenUrl: "{{ config.baseUrl }}/token"
    clientId: "{{ config.clientId }}"
    clientSecret: "{{ config.clientSecret }}"
    clientAuth: ${clientAuth}
    scopes: [things.read, things.write]
    params: { audience: https://remote.test }`

const oauthConfig = { clientId: 'client-1', clientSecret: 'client-secret-1' }

describe('declared auth', () => {
  it('sends an API key in a header or the query', async () => {
    const app = new Hono().get('/things', (c) =>
      c.json([{ key: c.req.header('x-api-key') ?? c.req.query('api_key') }]),
    )
    for (const [spec, where] of [
      ['  apiKey: { name: X-Api-Key, value: "{{ config.apiKey }}" }', 'header'],
      ['  apiKey: { in: query, name: api_key, value: "{{ config.apiKey }}" }', 'query'],
    ] as const) {
      const { ctx, seen } = remoteContext(app, { apiKey: 'k-123' })
      const { records } = await readAll(declared(base(spec)), 'things', ctx)
      expect(records).toEqual([{ key: 'k-123' }])
      expect(
        where === 'header' ? seen[0]!.headers.get('x-api-key') : seen[0]!.url.searchParams.get('api_key'),
      ).toBe('k-123')
    }
  })

  it('sends HTTP Basic credentials', async () => {
    const app = new Hono().get('/things', (c) => c.json([{ auth: c.req.header('authorization') }]))
    const { ctx } = remoteContext(app, { username: 'ferry', password: 'pässword' })
    const { records } = await readAll(
      declared(base('  basic: { username: "{{ config.username }}", password: "{{ config.password }}" }')),
      'things',
      ctx,
    )
    expect(records).toEqual([{ auth: `Basic ${Buffer.from('ferry:pässword').toString('base64')}` }])
  })

  it.each(['basic', 'body'])(
    'client credentials (client auth %s): one token for concurrent calls, scopes and extra fields sent',
    async (clientAuth) => {
      const remote = oauthRemote()
      const connector = declared(base(clientCredentials(clientAuth)))
      const { ctx } = remoteContext(remote.app, oauthConfig)
      await Promise.all([1, 2, 3, 4].map(() => readAll(connector, 'things', ctx)))
      expect(remote.grants).toHaveLength(1)
      expect(remote.grants[0]!.get('scope')).toBe('things.read things.write')
      expect(remote.grants[0]!.get('audience')).toBe('https://remote.test')
      expect(remote.grants[0]!.has('client_secret')).toBe(clientAuth === 'body')
    },
  )

  it('renews a token before it expires, and once more when the API refuses it', async () => {
    const remote = oauthRemote({ expiresIn: 600 })
    const connector = declared(base(clientCredentials()))
    const { ctx, advance, seen } = remoteContext(remote.app, oauthConfig)
    await readAll(connector, 'things', ctx)
    advance(9 * 60_000)
    await readAll(connector, 'things', ctx)
    expect(remote.grants).toHaveLength(2)
    remote.issued.clear()
    seen.length = 0
    const { records } = await readAll(connector, 'things', ctx)
    expect(records).toEqual([{ id: 1 }])
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /things',
      'POST /token',
      'GET /things',
    ])
  })

  it('refuses a wrong client secret with an auth error that leaks nothing', async () => {
    const connector = declared(base(clientCredentials()))
    const { ctx } = remoteContext(oauthRemote().app, {
      clientId: 'client-1',
      clientSecret: 'wrong-secret-xyz',
    })
    const error = await connector.check(ctx).catch((e: unknown) => e)
    expect(isConnectorError(error) && error.kind).toBe('auth')
    expect(JSON.stringify((error as Error & { toJSON(): unknown }).toJSON()) + String(error)).not.toContain(
      'wrong-secret-xyz',
    )
  })

  it('authorization code: consent with PKCE, then refresh tokens rotated and kept', async () => {
    const remote = oauthRemote({ rotate: true })
    const connector = declared(
      base(`  authorizationCode:
    authorizeUrl: https://login.remote.test/authorize
    tokenUrl: "{{ config.baseUrl }}/token"
    clientId: "{{ config.clientId }}"
    clientSecret: "{{ config.clientSecret }}"
    scopes: [offline_access, things.read]`),
    )
    const { ctx } = remoteContext(remote.app, oauthConfig)
    const noConsent = await readAll(connector, 'things', ctx).catch((e: unknown) => e)
    expect(isConnectorError(noConsent) && noConsent.kind).toBe('auth')

    const { url } = await connector.delegatedAuth!.begin(ctx, {
      redirectUri: 'https://ferry.test/callback',
      state: 's1',
    })
    const authorize = new URL(url)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('client_id')).toBe('client-1')
    await connector.delegatedAuth!.complete(ctx, {
      callbackUrl: 'https://ferry.test/callback?code=c-1&state=s1',
      state: 's1',
    })
    const exchange = remote.grants.at(-1)!
    expect(exchange.get('grant_type')).toBe('authorization_code')
    expect(exchange.get('code_verifier')).toMatch(/^[\w-]{43}$/)
    const kept = await ctx.state.get<string>('oauth.refreshToken')
    expect(remote.refreshTokens.has(kept!)).toBe(true)

    // A new process (empty memo) refreshes with the kept token and keeps the rotated one.
    const later = { ...ctx, memo: new Map() }
    await readAll(connector, 'things', later)
    const rotated = await ctx.state.get<string>('oauth.refreshToken')
    expect(rotated).not.toBe(kept)
    expect(remote.refreshTokens.has(rotated!)).toBe(true)
    await expect(
      connector.delegatedAuth!.complete(ctx, {
        callbackUrl: 'https://ferry.test/callback?code=c&state=s1',
        state: 's1',
      }),
    ).rejects.toMatchObject({ kind: 'auth' })
  })
})

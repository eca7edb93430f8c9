import { describe, expect, it } from 'vitest'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { refreshTokenKey } from './auth.ts'
import { businessCentral } from './index.ts'
import { apiCalls, movableClock, startTestEnv, tokenCalls } from './test-env.ts'

const readVendors = async (ctx: any) => {
  for await (const page of businessCentral.streams.vendors!.read!(ctx, { cursor: null, query: {} }))
    return page
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`)
  return error
}

describe('client credentials', () => {
  it('requests one token however many calls wait for it', async () => {
    const { ctx, fetch } = await startTestEnv()
    await Promise.all(Array.from({ length: 10 }, () => readVendors(ctx)))
    expect(tokenCalls(fetch.calls)).toHaveLength(1)
    const body = new URLSearchParams(await tokenCalls(fetch.calls)[0]!.text())
    expect(body.get('grant_type')).toBe('client_credentials')
    expect(body.get('scope')).toBe('https://api.businesscentral.dynamics.com/.default')
  })

  it('renews the token ahead of its expiry', async () => {
    const clock = movableClock()
    const { ctx, fetch, control } = await startTestEnv({ now: clock.now })
    await control('settings', { accessTokenLifetimeSeconds: 600 })
    await readVendors(ctx)
    clock.advance(530_000)
    await readVendors(ctx)
    expect(tokenCalls(fetch.calls)).toHaveLength(1)
    clock.advance(15_000)
    await readVendors(ctx)
    expect(tokenCalls(fetch.calls)).toHaveLength(2)
  })

  it('after a 401 refreshes once and retries the call', async () => {
    const { ctx, fetch, control } = await startTestEnv()
    await readVendors(ctx)
    await control('tokens/expire', {})
    await readVendors(ctx)
    expect(tokenCalls(fetch.calls)).toHaveLength(2)
  })

  it('fails with auth after one refresh when BC keeps refusing (app not on the Entra Applications page)', async () => {
    const { ctx, fetch, control, config } = await startTestEnv()
    await control('apps', { clientId: config.clientId, registeredInBc: false })
    const error = await failure(businessCentral.check(ctx))
    expect(error).toMatchObject({ kind: 'auth', remoteCode: 'Authentication_InvalidCredentials' })
    expect(error.message).toContain('Microsoft Entra Applications')
    expect(apiCalls(fetch.calls)).toHaveLength(2)
  })
})

describe('check() tells the admin what to fix', () => {
  it('resolves a company given by name', async () => {
    const { withConfig } = await startTestEnv()
    const result = await businessCentral.check(withConfig({ company: 'CRONUS Việt Nam JSC' }))
    expect(result.details).toMatchObject({ companyName: 'CRONUS Việt Nam JSC' })
  })

  it('wrong secret → auth (invalid_client), secret not echoed', async () => {
    const { withConfig } = await startTestEnv()
    const error = await failure(businessCentral.check(withConfig({ clientSecret: 'not-the-secret' })))
    expect(error).toMatchObject({ kind: 'auth', remoteCode: 'invalid_client' })
    expect(JSON.stringify(error.toJSON())).not.toContain('not-the-secret')
  })

  it('missing consent → config', async () => {
    const { ctx, control, config } = await startTestEnv()
    await control('apps', { clientId: config.clientId, consented: false })
    const error = await failure(businessCentral.check(ctx))
    expect(error.kind).toBe('config')
    expect(error.message).toContain('consent')
  })

  it('wrong environment and unknown company → config, naming what exists', async () => {
    const { withConfig } = await startTestEnv()
    const env = await failure(businessCentral.check(withConfig({ environment: 'Prod' })))
    expect(env.kind).toBe('config')
    expect(env.message).toContain('environment "Prod"')
    const company = await failure(businessCentral.check(withConfig({ company: 'Nope Ltd' })))
    expect(company.kind).toBe('config')
    expect(company.message).toContain('CRONUS Việt Nam JSC')
  })
})

describe('delegated access (authorization code + PKCE)', () => {
  it('signs in, then rotates and persists every refresh token', async () => {
    const { sandbox, fetch, withConfig } = await startTestEnv()
    const ctx = { ...withConfig({ authMode: 'delegated' }), fetch }
    const { url } = await businessCentral.delegatedAuth!.begin(ctx, {
      redirectUri: 'https://ferry.example/callback',
      state: 's1',
    })
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256')
    expect(new URL(url).searchParams.get('scope')).toContain('offline_access')
    const page = await sandbox.fetch(new Request(url))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Permissions requested')
    // The user accepts on the consent page, which posts the request back.
    const form = new URLSearchParams(new URL(url).searchParams)
    form.set('consent', 'accept')
    const redirect = await sandbox.fetch(
      new Request(url.split('?')[0]!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }),
    )
    expect(redirect.status).toBe(302)
    await businessCentral.delegatedAuth!.complete(ctx, {
      callbackUrl: redirect.headers.get('location')!,
      state: 's1',
    })
    const first = await ctx.state.get<string>(refreshTokenKey)
    expect(first).toBeTruthy()
    await readVendors(ctx)

    const later = { ...ctx, memo: new Map() }
    await readVendors(later)
    const second = await ctx.state.get<string>(refreshTokenKey)
    expect(second).toBeTruthy()
    expect(second).not.toBe(first)

    await ctx.state.set(refreshTokenKey, first)
    const error = await failure(readVendors({ ...ctx, memo: new Map() }))
    expect(error).toMatchObject({ kind: 'auth', remoteCode: 'invalid_grant' })
  })

  it('refuses a callback whose PKCE state is unknown', async () => {
    const { withConfig } = await startTestEnv()
    const ctx = withConfig({ authMode: 'delegated' })
    const error = await failure(
      businessCentral.delegatedAuth!.complete(ctx, {
        callbackUrl: 'https://x/cb?code=a&state=zz',
        state: 'zz',
      }),
    )
    expect(error.kind).toBe('auth')
  })
})

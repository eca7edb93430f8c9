import { afterEach, describe, expect, it } from 'vitest'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { authorization } from './auth.ts'
import { callApi } from './call-api.ts'
import { basware } from './index.ts'
import { startTestEnv } from './test-env.ts'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

async function start(options: Parameters<typeof startTestEnv>[0] = {}) {
  const context = await startTestEnv(options)
  close = () => context.sandbox.close()
  return context
}

const list = {
  method: 'GET',
  path: '/v1/accountingDocuments',
  query: { ProcessingStatus: 'Transferred' },
  expect: [404],
} as const

describe('OAuth2 client credentials', () => {
  it('sends Basic client authentication and a form body with grant_type and scope to {base}/v1/tokens', async () => {
    const { ctx, fetch } = await start()
    await authorization(ctx)
    const request = fetch.calls.find((r) => r.url.endsWith('/basware/v1/tokens'))!
    const { clientId, clientSecret } = ctx.config as Record<string, string>
    expect(request.headers.get('authorization')).toBe(
      `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    )
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(await request.text())
    expect(form.get('grant_type')).toBe('client_credentials')
    expect(form.get('scope')).toContain('accountingDocuments.read')
  })

  it('fetches a new token shortly before expiry, so no call meets a 401', async () => {
    let clock = Date.parse('2026-06-01T08:00:00Z')
    const now = () => new Date(clock)
    const { ctx, stats } = await start({ now, sandboxOptions: { now } })
    await callApi(ctx, list)
    clock += 3000_000 // 50 minutes: still well inside the hour
    await callApi(ctx, list)
    expect((await stats())['POST /v1/tokens']).toBe(1)
    clock += 540_000 // 59 minutes: inside the 5-minute renewal margin, the old token still valid
    await callApi(ctx, list)
    const byRoute = await stats()
    expect(byRoute['POST /v1/tokens']).toBe(2)
    // Three list calls and no retry: none of them was answered 401.
    expect(byRoute['GET /v1/accountingDocuments']).toBe(3)
  })

  it('fetches one token for many concurrent calls (single-flight)', async () => {
    const { ctx, stats } = await start()
    await Promise.all(Array.from({ length: 8 }, () => callApi(ctx, list)))
    expect((await stats())['POST /v1/tokens']).toBe(1)
  })

  it('refuses wrong client credentials as auth, naming what to fix and leaking nothing', async () => {
    const { withConfig } = await start()
    const error = await basware.check(withConfig({ clientSecret: 'not-the-secret' })).catch((e: unknown) => e)
    expect(isConnectorError(error) && error.kind).toBe('auth')
    expect((error as Error).message).toContain('clientId and clientSecret')
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('not-the-secret')
  })

  it('reports unusable scopes as a config error', async () => {
    const { withConfig } = await start()
    const error = await basware.check(withConfig({ scopes: 'nothing.read' })).catch((e: unknown) => e)
    expect(isConnectorError(error) && error.kind).toBe('config')
  })
})

describe('Basic API-user authentication', () => {
  it('calls the API with the API user and never asks for a token', async () => {
    const { withConfig, stats } = await start()
    const ctx = withConfig({ authMode: 'basic' })
    await expect(basware.check(ctx)).resolves.toMatchObject({ details: { authMode: 'basic' } })
    expect((await stats())['POST /v1/tokens']).toBeUndefined()
  })
})

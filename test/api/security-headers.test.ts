import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture } from './api-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

describe('security headers on every API response', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await createApiFixture('security-headers')
  })
  afterAll(() => f.t.drop())

  const requests: [string, () => ReturnType<Fixture['call']>][] = [
    ['/health', () => f.call(undefined, 'GET', '/health')],
    ['/openapi.json', () => f.call(undefined, 'GET', '/openapi.json')],
    ['/metrics', () => f.call(f.keyA, 'GET', '/metrics')],
    [
      'a 200 with a key shown once',
      () => f.call(f.admin.key, 'POST', `/v1/tenants/${f.tenantA.id}/api-keys`, {}),
    ],
    ['a 401', () => f.call(undefined, 'GET', '/v1/flows')],
    ['a 404 for no route', () => f.call(f.keyA, 'GET', '/v1/<script>')],
    ['a 405', () => f.call(f.keyA, 'DELETE', '/v1/flows')],
    ['a 422 echoing a parameter', () => f.call(f.keyA, 'GET', '/v1/records?state=<b>x</b>')],
  ]
  for (const [name, send] of requests)
    it(name, async () => {
      const res = await send()
      expect(res.status).toBeLessThan(500)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'; sandbox",
      )
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('content-type')).toMatch(/^(application\/(problem\+)?json|text\/plain)/)
    })
})

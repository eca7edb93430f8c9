import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountConsole } from '../../runtime/console/mount-console.ts'
import { signInLinkFor } from '../../runtime/console/sign-in-link.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { revokeApiKey } from '../../runtime/store/api-keys-queries.ts'
import { issueApiKey } from '../../runtime/store/tenants-store.ts'
import { createApiFixture } from '../api/api-fixture.ts'
import { shiftClock } from '../support/shift-clock.ts'

const ORIGIN = 'http://ferry.localhost'

/** A browser's cookie jar for one site, reduced to what these tests need. */
function browserOf(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {
  const jar = new Map<string, string>()
  return {
    jar,
    async go(path: string, init: RequestInit & { form?: Record<string, string> } = {}) {
      const headers = new Headers(init.headers)
      if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
      let body = init.body
      if (init.form) {
        body = new URLSearchParams(init.form).toString()
        headers.set('content-type', 'application/x-www-form-urlencoded')
        if (!headers.has('origin')) headers.set('origin', ORIGIN)
      }
      const res = await app.request(`${ORIGIN}${path}`, { ...init, headers, body })
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const [name, value] = pair!.split('=')
        if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name!)
        else jar.set(name!, value!)
      }
      return { res, text: await res.text() }
    },
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

describe('console sessions', () => {
  let f: Awaited<ReturnType<typeof createApiFixture>>

  beforeAll(async () => {
    f = await createApiFixture('console-session')
    mountConsole(f.app, { db: f.db, log: silentLogger, publicUrl: ORIGIN })
  })
  afterAll(async () => {
    await f?.t.drop()
  })

  async function signIn(key = f.keyA) {
    const b = browserOf(f.app)
    const form = await b.go('/console/sign-in')
    const { res } = await b.go('/console/sign-in', {
      method: 'POST',
      form: { _csrf: csrfOf(form.text), key, next: '/console/integrations' },
    })
    return { b, res }
  }

  it('exchanges a tenant key for a session cookie that opens pages, with security headers', async () => {
    const { b, res } = await signIn()
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/integrations')
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ferry_session='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\/console/)
    const token = b.jar.get('ferry_session')!
    const stored = await f.db.selectFrom('consoleSessions').select('tokenHash').execute()
    expect(stored.map((s) => s.tokenHash)).not.toContain(token)

    const page = await b.go('/console/integrations')
    expect(page.res.status).toBe(200)
    expect(page.text).toContain('<h1>Integrations</h1>')
    const csp = page.res.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(page.res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]|\sstyle="|\son[a-z]+="/)
  })

  it('refuses the admin key, an unknown key and a sign-in without its CSRF token', async () => {
    const b = browserOf(f.app)
    const form = await b.go('/console/sign-in')
    const admin = await b.go('/console/sign-in', {
      method: 'POST',
      form: { _csrf: csrfOf(form.text), key: f.admin.key },
    })
    expect(admin.res.status).toBe(401)
    expect(admin.text).toContain('This is an admin key')
    const unknown = await b.go('/console/sign-in', {
      method: 'POST',
      form: { _csrf: csrfOf(admin.text), key: 'fry_ten_nope' },
    })
    expect(unknown.text).toContain('unknown or revoked')
    const forged = await browserOf(f.app).go('/console/sign-in', { method: 'POST', form: { key: f.keyA } })
    expect(forged.res.status).toBe(401)
    expect(forged.res.headers.getSetCookie().some((c) => c.startsWith('ferry_session='))).toBe(false)
  })

  it('refuses a POST without the CSRF token or from another origin, and keeps the session', async () => {
    const { b } = await signIn()
    const page = await b.go('/console/integrations')
    const csrf = csrfOf(page.text)
    expect(csrf).not.toBe('')
    const none = await b.go('/console/sign-out', { method: 'POST', form: {} })
    expect(none.res.status).toBe(403)
    const foreign = await b.go('/console/sign-out', {
      method: 'POST',
      form: { _csrf: csrf },
      headers: { origin: 'http://evil.localhost' },
    })
    expect(foreign.res.status).toBe(403)
    expect((await b.go('/console/integrations')).res.status).toBe(200)
    const out = await b.go('/console/sign-out', { method: 'POST', form: { _csrf: csrf } })
    expect(out.res.status).toBe(303)
  })

  it('ends a session after 30 idle minutes (clock moved decades ahead), not while it is used', async () => {
    const { b } = await signIn()
    let restore = shiftClock('2061-03-01T10:00:00Z')
    try {
      // The session was created now; decades later it is long past its idle time and its age cap.
      const late = await b.go('/console/integrations')
      expect(late.res.status).toBe(303)
      expect(late.res.headers.get('location')).toContain('/console/sign-in?next=%2Fconsole%2Fintegrations')
      expect(late.res.headers.get('location')).toContain('reason=expired')
    } finally {
      restore()
    }

    const { b: active } = await signIn()
    const start = Date.now()
    for (const minutes of [20, 40, 60]) {
      restore = shiftClock(new Date(start + minutes * 60_000))
      try {
        expect((await active.go('/console/integrations')).res.status, `${minutes} min`).toBe(200)
      } finally {
        restore()
      }
    }
    restore = shiftClock(new Date(start + 60 * 60_000 + 31 * 60_000))
    try {
      expect((await active.go('/console/integrations')).res.status).toBe(303)
    } finally {
      restore()
    }
  })

  it('a one-time link signs in once, not after it expired, and a revoked key ends its sessions', async () => {
    const extra = await issueApiKey(f.db, { role: 'tenant', tenantId: f.tenantA.id, name: 'console' })
    const link = new URL(
      await signInLinkFor(f.db, { publicUrl: ORIGIN, tenantId: f.tenantA.id, keyId: extra.id }),
    )
    const b = browserOf(f.app)
    const first = await b.go(link.pathname + link.search)
    expect(first.res.headers.get('location')).toBe('/console')
    expect((await b.go('/console/integrations')).res.status).toBe(200)
    const second = await browserOf(f.app).go(link.pathname + link.search)
    expect(second.res.headers.get('location')).toBe('/console/sign-in?reason=link')

    const late = new URL(
      await signInLinkFor(f.db, {
        publicUrl: ORIGIN,
        tenantId: f.tenantA.id,
        keyId: extra.id,
        ttlMs: 60_000,
      }),
    )
    const restore = shiftClock(new Date(Date.now() + 2 * 60_000))
    try {
      const expired = await browserOf(f.app).go(late.pathname + late.search)
      expect(expired.res.headers.get('location')).toBe('/console/sign-in?reason=link')
    } finally {
      restore()
    }

    await revokeApiKey(f.db, f.tenantA.id, extra.id)
    expect((await b.go('/console/integrations')).res.status).toBe(303)
  })

  it('sends a return path only inside the console', async () => {
    const { b } = await signIn()
    for (const back of [
      'https://evil.example/',
      '//evil.example/console',
      '/\\evil.example',
      '/console//evil.example',
      '/console\\@evil.example',
    ]) {
      const res = (await b.go(`/console/language?to=vi&back=${encodeURIComponent(back)}`)).res
      expect(res.headers.get('location'), back).toMatch(/^\/console/)
      expect(res.headers.get('location')).not.toContain('evil')
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../runtime/cli/cli-io.ts'
import { guardCommand } from '../../runtime/cli/guard-command.ts'
import { keysCommand } from '../../runtime/cli/keys-command.ts'
import { createApiFixture } from '../api/api-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

describe('ferry keys: list, create, revoke and rotate API keys through the admin API', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await createApiFixture('keys-command')
  })
  afterAll(() => f.t.drop())

  async function keys(env: Record<string, string>, ...argv: string[]) {
    const out: string[] = []
    const err: string[] = []
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tty: false,
      env: { FERRY_API_URL: 'http://ferry.test', ...env },
      dataDir: '/nonexistent',
      fetch: (async (input: string | URL | Request, init?: RequestInit) =>
        f.app.request(String(input), init)) as typeof fetch,
    }
    const code = await guardCommand(keysCommand)(argv, io)
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const admin = () => ({ FERRY_ADMIN_KEY: f.admin.key })
  const works = async (key: string, path: string) => (await f.call(key, 'GET', path)).status

  it('lists every key by prefix with its tenant, never a key in clear', async () => {
    const res = await keys(admin())
    expect(res.code, res.err).toBe(0)
    expect(res.out).toMatch(/^KEY +PREFIX +ROLE +TENANT +NAME +CREATED +STATE$/m)
    expect(res.out).toMatch(/ tenant +tenant-a /)
    expect(res.out).toMatch(/ admin {2}/)
    expect(res.out).not.toContain(f.admin.key)
    expect(res.out).not.toContain(f.keyA)
  })

  it('creates a tenant key by tenant name, printed once, that works', async () => {
    const res = await keys(admin(), 'create', '--tenant', 'tenant-b', '--name', 'erp')
    expect(res.code, res.err).toBe(0)
    const key = /key \(shown once, store it now\): (\S+)/.exec(res.out)?.[1]
    expect(key).toMatch(/^fry_ten_/)
    expect(await works(key!, '/v1/flows')).toBe(200)
  })

  it('rotates the admin key: the old one stops working, the printed one works', async () => {
    const res = await keys(admin(), 'rotate', f.admin.id)
    expect(res.code, res.err).toBe(0)
    const key = /key \(shown once, store it now\): (\S+)/.exec(res.out)![1]!
    const id = /replaced by (\S+)/.exec(res.out)![1]!
    expect(await works(f.admin.key, '/v1/tenants')).toBe(401)
    expect(await works(key, '/v1/tenants')).toBe(200)
    f.admin = { id, key, prefix: key.slice(0, 12) }
  })

  it('revokes a key; the last admin key is refused with the API’s reason', async () => {
    const revoked = await keys(admin(), 'revoke', f.admin.id)
    expect(revoked.code).toBe(1)
    expect(revoked.err).toMatch(/409 .*last active admin key/)
    const created = await keys(admin(), 'create', '--name', 'second')
    const second = /admin key: (\S+)/.exec(created.out)![1]!
    const res = await keys(admin(), 'revoke', second)
    expect(res.code, res.err).toBe(0)
    expect(res.out).toBe(`revoked ${second}`)
  })

  it('a tenant key is refused, and usage mistakes exit 2', async () => {
    const tenant = await keys({ FERRY_API_KEY: f.keyA })
    expect(tenant.code).toBe(1)
    expect(tenant.err).toMatch(/403/)
    expect(tenant.err).not.toContain(f.keyA)
    expect((await keys(admin(), 'revoke')).code).toBe(2)
    expect((await keys(admin(), 'rotate', 'not-an-id')).code).toBe(2)
    expect((await keys(admin(), 'delete')).code).toBe(2)
  })
})

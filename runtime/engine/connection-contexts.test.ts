import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryConnector } from '../../test/in-memory-connector/index.ts'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { createEgressPolicy } from '../egress/egress-policy.ts'
import { silentLogger } from '../log/create-logger.ts'
import { createSecretBox } from '../secrets/secret-box.ts'
import { saveConnection } from '../store/connections-store.ts'
import { ensureTenant } from '../store/tenants-store.ts'
import { createConnectionContexts } from './connection-contexts.ts'

describe('connection contexts', () => {
  let t: TestDatabase
  const box = createSecretBox(randomBytes(32))
  const registry = { memory: memoryConnector }
  const contexts = (revalidateMs: number) =>
    createConnectionContexts({
      db: t.db,
      box,
      registry,
      log: silentLogger,
      egress: createEgressPolicy(),
      revalidateMs,
    })

  beforeAll(async () => {
    t = await createTestDatabase('connection-contexts')
  })
  afterAll(() => t.drop())

  it('picks up a secret rotated by another process, with none of the old tokens', async () => {
    const tenant = await ensureTenant(t.db, 'rotate')
    const save = (token: string) =>
      saveConnection(t.db, box, {
        tenantId: tenant.id,
        name: 'rotating',
        connector: 'memory',
        config: { systemId: 'rotate', token },
        schema: memoryConnector.configSchema,
      })
    const { id } = await save('old-secret')
    // A worker process caches the connection and a token derived from the old secret.
    const worker = contexts(0)
    const before = await worker.get(id)
    expect(before.ctx.config.token).toBe('old-secret')
    before.ctx.memo.set('token', 'issued-for-old-secret')
    // The API process saves the rotated secret; only its own cache is invalidated.
    await save('new-secret')
    const after = await worker.get(id)
    expect(after.ctx.config.token).toBe('new-secret')
    expect(after.ctx.memo.get('token')).toBeUndefined()
    expect(after.secrets).toContain('new-secret')
    // Unchanged connections are served from the cache.
    expect(await worker.get(id)).toBe(after)
  })

  it('builds a fresh memo when invalidated in the same process', async () => {
    const tenant = await ensureTenant(t.db, 'invalidate')
    const { id } = await saveConnection(t.db, box, {
      tenantId: tenant.id,
      name: 'c',
      connector: 'memory',
      config: { systemId: 'inv', token: 'memory-secret' },
      schema: memoryConnector.configSchema,
    })
    const api = contexts(60_000)
    ;(await api.get(id)).ctx.memo.set('bc.token', 'stale')
    api.invalidate(id)
    expect((await api.get(id)).ctx.memo.get('bc.token')).toBeUndefined()
  })

  it('refuses, through ctx.fetch, what the egress policy refuses', async () => {
    const tenant = await ensureTenant(t.db, 'egress')
    const { id } = await saveConnection(t.db, box, {
      tenantId: tenant.id,
      name: 'e',
      connector: 'memory',
      config: { systemId: 'egress', token: 'memory-secret' },
      schema: memoryConnector.configSchema,
    })
    const live = await contexts(0).get(id)
    await expect(live.ctx.fetch('http://169.254.169.254/latest/meta-data')).rejects.toMatchObject({
      name: 'ConnectorError',
      kind: 'config',
    })
  })

  it('ends a call when the job that made it is aborted', async () => {
    const tenant = await ensureTenant(t.db, 'abort')
    const { id } = await saveConnection(t.db, box, {
      tenantId: tenant.id,
      name: 'a',
      connector: 'memory',
      config: { systemId: 'abort', token: 'memory-secret' },
      schema: memoryConnector.configSchema,
    })
    // A remote that never answers: only the signal can end the call.
    const never: typeof fetch = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    const jobs = createConnectionContexts({
      db: t.db,
      box,
      registry,
      log: silentLogger,
      egress: createEgressPolicy(),
      fetch: never,
    })
    const job = new AbortController()
    const live = await jobs.get(id, job.signal)
    const call = live.ctx.fetch('https://api.example.com/x', { signal: live.ctx.signal })
    job.abort()
    await expect(call).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/cancelled/),
    })
  })
})

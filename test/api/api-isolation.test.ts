import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture, validBodies } from './api-fixture.ts'
import { tableSnapshot } from './table-snapshot.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>
type Seed = Awaited<ReturnType<Fixture['seedTenantA']>>

describe('isolation: tenant B can neither read nor change anything of tenant A', () => {
  let f: Fixture
  let seed: Seed
  let group: Awaited<ReturnType<Fixture['seedExceptionGroup']>>
  let aKeyId: string
  let operations: { method: string; path: string; operationId: string; security?: unknown[] }[]

  beforeAll(async () => {
    f = await createApiFixture('api-isolation')
    seed = await f.seedTenantA()
    group = await f.seedExceptionGroup(seed)
    aKeyId = (
      await f.db
        .selectFrom('apiKeys')
        .select('id')
        .where('tenantId', '=', f.tenantA.id)
        .executeTakeFirstOrThrow()
    ).id
    const doc = (await f.call(undefined, 'GET', '/openapi.json')).json
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method,
        path,
        operationId: op.operationId,
        security: op.security,
      })),
    )
  })
  afterAll(() => f.t.drop())

  const fill = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const ids: Record<string, string> = {
        tenantId: f.tenantA.id,
        keyId: aKeyId,
        connectionId: seed.src.id,
        flowId: seed.flowId,
        runId: seed.runId,
        recordId: seed.recordIds[0]!,
        subscriptionId: seed.subscriptionId,
        version: '1',
        recipe: 'any',
        table: seed.mappingTable,
        key: 'A-KEY',
        reconciliationId: seed.reconciliationId,
        scheduleId: seed.scheduleId,
        cause: group.cause,
        bulkRetryId: group.bulkRetryId,
        field: 'environment',
      }
      if (!(name in ids)) throw new Error(`the isolation table lacks an id for {${name}}`)
      return ids[name]!
    })

  it('every route with a path id answers 404 to tenant B on tenant A’s ids, admin routes 403, and nothing changes', async () => {
    const aIds = [
      seed.src.id,
      seed.dst.id,
      seed.flowId,
      seed.runId,
      ...seed.recordIds,
      seed.subscriptionId,
      seed.reconciliationId,
      seed.scheduleId,
      group.recordId,
      group.bulkRetryId,
    ]
    let tried = 0
    for (const op of operations) {
      if (op.security?.length === 0) continue // public: /health, /openapi.json
      const before = await tableSnapshot(f.db)
      const calls = f.flow.calls.length
      const body = validBodies(seed)[op.operationId]
      const path = fill(op.path)
      const res = await f.call(f.keyB, op.method.toUpperCase(), path, body)
      // An id B sent may be echoed back in "not found"; any other id of A would be a leak.
      const sent = path + JSON.stringify(body ?? '')
      const label = `${op.method} ${op.path} → ${res.status} ${res.text.slice(0, 200)}`
      if (op.path.startsWith('/v1/tenants') || op.path.startsWith('/v1/api-keys'))
        expect(res.status, label).toBe(403)
      else if (op.path.includes('{')) expect(res.status, label).toBe(404)
      else if (
        ['saveFlow', 'enableRecipe', 'createReconciliation', 'putReconcileSchedule'].includes(op.operationId)
      )
        expect(res.status, label).toBe(422)
      else if (op.operationId === 'replayRecords') expect(res.status, label).toBe(404)
      else expect(res.status, label).toBeLessThan(300)
      for (const id of aIds.filter((i) => !sent.includes(i))) expect(res.text, label).not.toContain(id)
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), label).toBe('application/problem+json')
        expect(await tableSnapshot(f.db), label).toEqual(before)
        expect(f.flow.calls.length, label).toBe(calls)
      }
      tried++
    }
    expect(tried).toBeGreaterThanOrEqual(25)
  })

  it('tenant keys are refused on admin routes and the admin key on tenant routes', async () => {
    expect((await f.call(f.keyA, 'GET', '/v1/tenants')).status).toBe(403)
    const r = await f.call(f.admin.key, 'GET', '/v1/flows')
    expect(r.status).toBe(403)
    expect(r.json.detail).toContain('tenant key')
  })

  it('a tenant sees only its own numbers in /metrics', async () => {
    const b = await f.call(f.keyB, 'GET', '/metrics')
    expect(b.text).toMatch(/ferry_records\{state="queued"\} 0/)
    const a = await f.call(f.keyA, 'GET', '/metrics')
    expect(a.text).toMatch(/ferry_records\{state="queued"\} 2/)
  })
})

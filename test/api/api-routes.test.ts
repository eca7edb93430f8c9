import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture, flowText, SECRET } from './api-fixture.ts'

describe('API happy paths', () => {
  let f: Awaited<ReturnType<typeof createApiFixture>>
  let seed: Awaited<ReturnType<Awaited<ReturnType<typeof createApiFixture>>['seedTenantA']>>
  const responses: string[] = []
  const callA = async (method: string, path: string, body?: unknown) => {
    const r = await f.call(f.keyA, method, path, body)
    responses.push(r.text)
    return r
  }

  beforeAll(async () => {
    f = await createApiFixture('api-routes')
    seed = await f.seedTenantA()
  })
  afterAll(async () => {
    // No response of this suite may carry a secret value.
    for (const text of responses) expect(text).not.toContain(SECRET)
    await f.t.drop()
  })

  it('admin creates a tenant and issues, lists and revokes its keys; the key works until revoked', async () => {
    const tenant = await f.call(f.admin.key, 'POST', '/v1/tenants', { name: 'acme' })
    expect(tenant.status).toBe(201)
    expect((await f.call(f.admin.key, 'POST', '/v1/tenants', { name: 'acme' })).status).toBe(409)
    const issued = await f.call(f.admin.key, 'POST', `/v1/tenants/${tenant.json.id}/api-keys`, { name: 'ci' })
    expect(issued.status).toBe(201)
    expect((await f.call(issued.json.key, 'GET', '/v1/flows')).json).toEqual({ items: [] })
    const keys = await f.call(f.admin.key, 'GET', `/v1/tenants/${tenant.json.id}/api-keys`)
    expect(keys.json.items).toEqual([
      expect.objectContaining({ id: issued.json.id, name: 'ci', revokedAt: null }),
    ])
    expect(keys.text).not.toContain(issued.json.key)
    expect(
      (await f.call(f.admin.key, 'DELETE', `/v1/tenants/${tenant.json.id}/api-keys/${issued.json.id}`))
        .status,
    ).toBe(204)
    const refused = await f.call(issued.json.key, 'GET', '/v1/flows')
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toContain('Bearer')
    expect((await f.call(f.admin.key, 'GET', '/v1/tenants')).json.items.map((t: any) => t.name)).toContain(
      'acme',
    )
    expect((await f.call(f.admin.key, 'GET', `/v1/tenants/${tenant.json.id}`)).json.name).toBe('acme')
  })

  it('connections mask secrets, keep them on update, and check against the connector', async () => {
    const got = await callA('GET', `/v1/connections/${seed.src.id}`)
    expect(got.json).toMatchObject({
      name: 'src',
      connector: 'memory',
      config: { systemId: 'sys-src', token: '••••' },
    })
    expect((await callA('GET', '/v1/connections')).json.items).toHaveLength(2)
    const updated = await callA('PUT', `/v1/connections/${seed.src.id}`, {
      config: { systemId: 'sys-src-2' },
    })
    expect(updated.json.config).toEqual({ systemId: 'sys-src-2', token: '••••' })
    const check = await callA('POST', `/v1/connections/${seed.src.id}/check`)
    expect(check.json).toMatchObject({ ok: true, status: 'ok' })
    await callA('PUT', `/v1/connections/${seed.src.id}`, { config: { token: 'wrong-token' } })
    const failed = await callA('POST', `/v1/connections/${seed.src.id}/check`)
    expect(failed.json).toMatchObject({
      ok: false,
      kind: 'auth',
      message: expect.stringContaining('refused'),
    })
    expect(failed.text).not.toContain('wrong-token')
    expect((await callA('GET', `/v1/connections/${seed.src.id}`)).json.status).toBe('error')
    await callA('PUT', `/v1/connections/${seed.src.id}`, { config: { token: SECRET } })
  })

  it('validates manifests with line:col diagnostics, 200 either way', async () => {
    const ok = await callA('POST', '/v1/manifests/validate', { file: 'a.flow.yaml', text: flowText('a') })
    expect(ok.json).toMatchObject({ valid: true, diagnostics: [] })
    const bad = await callA('POST', '/v1/manifests/validate', {
      files: [{ file: 'b.flow.yaml', text: 'version: 1\nname: b\nconnections: { src: nope }\n' }],
    })
    expect(bad.status).toBe(200)
    expect(bad.json.valid).toBe(false)
    expect(bad.json.diagnostics[0]).toMatchObject({
      file: 'b.flow.yaml',
      line: expect.any(Number),
      col: expect.any(Number),
    })
  })

  it('flows: versions, get, enable/disable, run now and backfill through FlowControl', async () => {
    const same = await callA('POST', '/v1/flows', {
      text: flowText('invoices'),
      bindings: { src: seed.src.id, dst: seed.dst.id },
    })
    expect(same.status).toBe(200)
    expect(same.json.created).toBe(false)
    const text = flowText('invoices').replace('amount }', 'amount * 2 }')
    const v2 = await callA('POST', '/v1/flows', { text, bindings: { src: seed.src.id, dst: seed.dst.id } })
    expect(v2.status).toBe(201)
    expect(v2.json.version.version).toBe(2)
    const flow = await callA('GET', `/v1/flows/${seed.flowId}`)
    expect(flow.json).toMatchObject({
      currentVersion: 2,
      manifest: { map: "{ 'ref': id, 'amount': amount * 2 }" },
    })
    expect(
      (await callA('GET', `/v1/flows/${seed.flowId}/versions`)).json.items.map((v: any) => v.version),
    ).toEqual([2, 1])
    expect((await callA('GET', `/v1/flows/${seed.flowId}/versions/1`)).json.manifest.name).toBe('invoices')
    expect((await callA('GET', '/v1/flows')).json.items).toHaveLength(1)
    expect((await callA('POST', `/v1/flows/${seed.flowId}/enable`)).json).toEqual({
      id: seed.flowId,
      enabled: true,
    })
    expect((await callA('POST', `/v1/flows/${seed.flowId}/disable`)).json.enabled).toBe(false)
    expect((await callA('POST', `/v1/flows/${seed.flowId}/run`)).status).toBe(202)
    const window = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }
    expect((await callA('POST', `/v1/flows/${seed.flowId}/backfill`, window)).status).toBe(202)
    expect(f.flow.calls.map((c) => c.method)).toEqual(
      expect.arrayContaining(['enable', 'disable', 'runNow', 'backfill']),
    )
  })

  it('runs report progress: counts per state, rate and ETA', async () => {
    const list = await callA('GET', `/v1/flows/${seed.flowId}/runs`)
    expect(list.json.items.map((r: any) => r.id)).toEqual([seed.runId])
    const run = await callA('GET', `/v1/runs/${seed.runId}`)
    expect(run.json.progress).toMatchObject({
      counts: { queued: 2, delivered: 1 },
      total: 3,
      settled: 1,
      remaining: 2,
    })
    expect(run.json.progress.etaSeconds).toBeGreaterThanOrEqual(0)
  })

  it('records: filter, keyset pages, detail with ledger, replay by ids and by filter', async () => {
    const queued = await callA('GET', `/v1/records?state=queued&flow=${seed.flowId}`)
    expect(queued.json.items).toHaveLength(2)
    expect((await callA('GET', '/v1/records?key=INV-2')).json.items.map((r: any) => r.sourceKey)).toEqual([
      'INV-2',
    ])
    const p1 = await callA('GET', '/v1/records?limit=2')
    expect(p1.json.items).toHaveLength(2)
    const p2 = await callA('GET', `/v1/records?limit=2&cursor=${p1.json.nextCursor}`)
    expect(p2.json.items).toHaveLength(1)
    expect(p2.json.nextCursor).toBeNull()
    const all = [...p1.json.items, ...p2.json.items].map((r: any) => r.id).sort()
    expect(all).toEqual([...seed.recordIds].sort())
    const detail = await callA('GET', `/v1/records/${seed.recordIds[1]}`)
    expect(detail.json.record.sourceKey).toBe('INV-2')
    expect(detail.json.ledger.map((e: any) => e.type)).toEqual(['read'])
    const byIds = await callA('POST', '/v1/records/replay', { ids: [seed.recordIds[0]], version: 'latest' })
    expect(byIds.json).toEqual({ matched: 1, queued: 1, skipped: 0 })
    const byFilter = await callA('POST', '/v1/records/replay', {
      filter: { state: 'queued' },
      version: 'pinned',
    })
    expect(byFilter.json.matched).toBe(2)
    expect(f.flow.calls.at(-1)).toMatchObject({
      method: 'replay',
      tenantId: f.tenantA.id,
      args: [expect.any(Array), { version: 'pinned' }],
    })
  })

  it('subscriptions list without their secret and renew through FlowControl', async () => {
    const list = await callA('GET', '/v1/subscriptions')
    expect(list.json.items).toEqual([
      expect.objectContaining({ id: seed.subscriptionId, remoteId: 'remote-1' }),
    ])
    expect(list.text).not.toContain('subscription-signing-secret')
    expect((await callA('POST', `/v1/subscriptions/${seed.subscriptionId}/renew`)).status).toBe(200)
    expect(f.flow.calls.at(-1)).toMatchObject({ method: 'renewSubscription', args: [seed.subscriptionId] })
  })

  it('recipes: list, and enable answers 501 without an installer', async () => {
    expect((await callA('GET', '/v1/recipes')).json).toEqual({ items: [] })
    const r = await callA('POST', '/v1/recipes/nope/enable', { bindings: {} })
    expect(r.status).toBe(404)
  })

  it('health is public', async () => {
    expect((await f.call(undefined, 'GET', '/health')).json).toMatchObject({ status: 'ok' })
  })
})

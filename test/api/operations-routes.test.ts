import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileMapping } from '../../core/mapping/compile-mapping.ts'
import { describeFailure } from '../../runtime/engine/describe-failure.ts'
import type { FlowProgram } from '../../runtime/engine/flow-program.ts'
import { createLookupTables } from '../../runtime/engine/lookup-tables.ts'
import { insertRecords } from '../../runtime/store/records-store.ts'
import { startRun } from '../../runtime/store/runs-store.ts'
import { createApiFixture } from './api-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

/** A flow whose mapping looks the supplier up in a recipe mapping table, as the BC recipes do. */
const lookupFlow = JSON.stringify({
  version: 1,
  name: 'vendor-invoices',
  connections: { src: 'memory', dst: 'memory' },
  source: { connection: 'src', stream: 'invoices' },
  lookups: { vendor: { table: 'basware-supplier-to-bc-vendor' } },
  map: "{ 'ref': id, 'vendorNumber': $lookupTable('vendor', supplierCode) }",
  target: { connection: 'dst', stream: 'documents', operation: 'create', match: { ref: 'ref' } },
})

/** The failure the engine stores when the supplier has no mapping row: produced by the real mapping code. */
async function lookupMissingFailure(manifest: Record<string, unknown>, supplierCode: string) {
  const tables = createLookupTables({ contexts: {} as never, mappingTables: async () => new Map() })
  const program = { tenantId: 't', manifest, bindings: {} } as unknown as FlowProgram
  const map = compileMapping(manifest.map as string)
  try {
    await map.evaluate({ id: 'x', supplierCode }, { lookup: tables.resolver(program) })
  } catch (error) {
    return describeFailure(error)
  }
  throw new Error('the mapping should have failed')
}

describe('operations routes: exceptions, document search, overview, diagnostics, progress', () => {
  let f: Fixture
  let seed: Awaited<ReturnType<Fixture['seedTenantA']>>
  let lookupFlowId: string
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    f = await createApiFixture('api-operations')
    seed = await f.seedTenantA()
    const saved = await f.call(f.keyA, 'POST', '/v1/flows', {
      text: lookupFlow,
      bindings: { src: seed.src.id, dst: seed.dst.id },
    })
    expect(saved.status, saved.text).toBe(201)
    lookupFlowId = saved.json.flow.id
    const run = await startRun(f.db, {
      tenantId: f.tenantA.id,
      flowId: seed.flowId,
      flowVersion: 1,
      trigger: 'test',
    })
    const run2 = await startRun(f.db, {
      tenantId: f.tenantA.id,
      flowId: lookupFlowId,
      flowVersion: 1,
      trigger: 'test',
    })
    const add = async (name: string, flowId: string, runId: string, source: Record<string, unknown>) => {
      ids[name] = randomUUID()
      await insertRecords(f.db, [
        {
          id: ids[name]!,
          tenantId: f.tenantA.id,
          flowId,
          flowVersion: 1,
          runId,
          sourceKey: name,
          sourceVersion: '1',
          orderKey: null,
          source,
        },
      ])
    }
    const fail = (name: string, error: Record<string, unknown>) =>
      f.db
        .updateTable('records')
        .set({ state: 'failed', error: JSON.stringify(error) })
        .where('id', '=', ids[name]!)
        .execute()
    // Three invoices BC refused because the period is closed (two with another document number in it).
    for (const n of [1, 2, 3]) {
      await add(`closed-${n}`, seed.flowId, run.id, { id: `closed-${n}`, invoiceNumber: `1C26TAA00${n}` })
      await fail(`closed-${n}`, {
        kind: 'rejected',
        code: 'Internal_PostingPeriodClosed',
        message: 'Business Central refused the write',
        remoteCode: 'Internal_PostingPeriodClosed',
        // BC ends every error with a new CorrelationId (letters and digits): one group all the same.
        remoteMessage: `Posting Date 2026-0${n}-15 is not within your range of allowed posting dates for invoice '1C26TAA00${n}'.  CorrelationId:  ${randomUUID()}.`,
      })
    }
    await add('vendor-blocked', seed.flowId, run.id, { id: 'vendor-blocked', invoiceNumber: 'X-9' })
    await fail('vendor-blocked', {
      kind: 'rejected',
      code: 'Vendor_Blocked',
      message: 'refused',
      remoteMessage: 'The vendor is blocked.',
    })
    const manifest = JSON.parse(lookupFlow)
    for (const [name, supplier] of [
      ['missing-a', '0312345678'],
      ['missing-b', '0312345678'],
      ['missing-c', '0399999999'],
    ] as const) {
      await add(name, lookupFlowId, run2.id, { id: name, supplierCode: supplier })
      await fail(name, await lookupMissingFailure(manifest, supplier))
    }
    await add('posted', seed.flowId, run.id, {
      id: 'posted',
      invoiceNumber: 'INV-2026-0042',
      supplierCode: 'S1',
    })
    await f.db
      .updateTable('records')
      .set({ state: 'delivered', targetNumber: 'PPI-108' })
      .where('id', '=', ids.posted!)
      .execute()
  })
  afterAll(() => f.t.drop())

  const callA = (method: string, path: string, body?: unknown) => f.call(f.keyA, method, path, body)

  it('finds a record by the vendor invoice number in its source or by the target’s number, never another tenant’s', async () => {
    const byInvoice = await callA('GET', '/v1/records?document=INV-2026-0042')
    expect(byInvoice.json.items.map((r: any) => r.id)).toEqual([ids.posted])
    expect((await callA('GET', '/v1/records?document=PPI-108')).json.items.map((r: any) => r.id)).toEqual([
      ids.posted,
    ])
    // Exact, not a prefix; and a number is not text.
    expect((await callA('GET', '/v1/records?document=INV-2026')).json.items).toEqual([])
    const combined = await callA('GET', '/v1/records?document=1C26TAA002&state=failed')
    expect(combined.json.items.map((r: any) => r.sourceKey)).toEqual(['closed-2'])
    expect((await f.call(f.keyB, 'GET', '/v1/records?document=INV-2026-0042')).json.items).toEqual([])
  })

  it('groups failures by cause: numbers and quoted values blanked, each missing lookup key its own group', async () => {
    const res = await callA('GET', '/v1/exceptions')
    expect(res.status, res.text).toBe(200)
    const groups = res.json.items as any[]
    const summary = groups.map((g) => [g.code, g.count])
    expect(summary).toEqual([
      ['Internal_PostingPeriodClosed', 3],
      ['lookup_missing', 2],
      expect.anything(),
      expect.anything(),
    ])
    const closed = groups[0]
    expect(closed.message).toMatch(/^Posting Date 2026-0\d-15 is not within your range/)
    expect(closed.kind).toBe('rejected')
    expect(closed.mappingRow).toBeNull()
    const missing = groups.filter((g) => g.code === 'lookup_missing')
    expect(missing.map((g) => [g.count, g.mappingRow])).toEqual([
      [2, { lookup: 'vendor', table: 'basware-supplier-to-bc-vendor', key: '0312345678' }],
      [1, { lookup: 'vendor', table: 'basware-supplier-to-bc-vendor', key: '0399999999' }],
    ])
    expect((await f.call(f.keyB, 'GET', '/v1/exceptions')).json.items).toEqual([])
  })

  it('retries a whole group through the replay path and follows it as a bulk retry', async () => {
    const closed = (await callA('GET', '/v1/exceptions')).json.items[0]
    // Tenant B cannot retry tenant A's group; an id that is no group is 404, a malformed one 422.
    expect((await f.call(f.keyB, 'POST', `/v1/exceptions/${closed.cause}/retry`)).status).toBe(404)
    expect((await callA('POST', `/v1/exceptions/${'0'.repeat(32)}/retry`)).status).toBe(404)
    expect((await callA('POST', '/v1/exceptions/nope/retry')).status).toBe(422)
    const before = f.flow.calls.length
    const started = await callA('POST', `/v1/exceptions/${closed.cause}/retry`)
    expect(started.status, started.text).toBe(202)
    expect(started.json).toMatchObject({ matched: 3, queued: 3, skipped: 0, more: false })
    const replay = f.flow.calls.slice(before)
    expect(replay).toEqual([
      {
        method: 'replay',
        tenantId: f.tenantA.id,
        args: [
          expect.arrayContaining([ids['closed-1'], ids['closed-2'], ids['closed-3']]),
          { version: 'latest' },
        ],
      },
    ])
    expect((replay[0]!.args[0] as string[]).length).toBe(3)
    // The recording flow control does not move records: still 3 failed, nothing settled anew.
    const retry = await callA('GET', `/v1/bulk-retries/${started.json.bulkRetryId}`)
    expect(retry.json).toMatchObject({
      total: 3,
      done: true,
      progress: { counts: { failed: 3 }, remaining: 0 },
    })
    await f.db.updateTable('records').set({ state: 'queued' }).where('id', '=', ids['closed-1']!).execute()
    await f.db.updateTable('records').set({ state: 'delivered' }).where('id', '=', ids['closed-2']!).execute()
    const moving = await callA('GET', `/v1/bulk-retries/${started.json.bulkRetryId}`)
    expect(moving.json).toMatchObject({
      done: false,
      progress: { counts: { queued: 1, delivered: 1, failed: 1 }, total: 3, settled: 2, remaining: 1 },
    })
    expect((await f.call(f.keyB, 'GET', `/v1/bulk-retries/${started.json.bulkRetryId}`)).status).toBe(404)
  })

  it('streams progress as server-sent events until the operation is done', async () => {
    const started = await callA(
      'POST',
      `/v1/exceptions/${(await callA('GET', '/v1/exceptions')).json.items.find((g: any) => g.code === 'Vendor_Blocked').cause}/retry`,
    )
    // What the real replay does: the record waits in the queue again.
    await f.db
      .updateTable('records')
      .set({ state: 'queued' })
      .where('id', '=', ids['vendor-blocked']!)
      .execute()
    const res = await f.app.request(`/v1/bulk-retries/${started.json.bulkRetryId}/progress`, {
      headers: { authorization: `Bearer ${f.keyA}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain('event: progress')
    expect(JSON.parse(/data: (.*)/.exec(first)![1]!)).toMatchObject({
      done: false,
      progress: { remaining: 1 },
    })
    await f.db
      .updateTable('records')
      .set({ state: 'delivered' })
      .where('id', '=', ids['vendor-blocked']!)
      .execute()
    let text = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += new TextDecoder().decode(chunk.value)
    const last = JSON.parse([...text.matchAll(/data: (.*)/g)].at(-1)![1]!)
    expect(last).toMatchObject({
      done: true,
      progress: { counts: { delivered: 1 }, settled: 1, remaining: 0 },
    })
    const other = await f.app.request(`/v1/runs/${seed.runId}/progress`, {
      headers: { authorization: `Bearer ${f.keyB}` },
    })
    expect(other.status).toBe(404)
  })

  it('overview: records per day by state in the tenant’s zone, failure rate, delivery time, what needs attention', async () => {
    const res = await callA('GET', '/v1/overview?days=7&timezone=Asia/Ho_Chi_Minh')
    expect(res.status, res.text).toBe(200)
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date())
    const all = await f.db
      .selectFrom('records')
      .select('state')
      .where('tenantId', '=', f.tenantA.id)
      .execute()
    const expected: Record<string, number> = {}
    for (const r of all) expected[r.state] = (expected[r.state] ?? 0) + 1
    expect(res.json.days).toEqual([{ day: today, counts: expected }])
    expect(res.json.failureRate).toBeCloseTo(expected.failed! / (expected.failed! + expected.delivered!), 3)
    expect(res.json.deliverySeconds.p50).toBeTypeOf('number')
    expect(res.json.attention.filter((a: any) => a.kind === 'exceptions').map((a: any) => a.count)).toEqual(
      (await callA('GET', '/v1/exceptions')).json.items.map((g: any) => g.count),
    )
    const bad = await callA('GET', '/v1/overview?timezone=Mars/Olympus')
    expect(bad.status).toBe(422)
    expect(bad.json.errors).toEqual([expect.objectContaining({ parameter: 'timezone' })])
    expect((await f.call(f.keyB, 'GET', '/v1/overview')).json.days).toEqual([])
  })

  it('diagnostics: subscription expiry and last notification, rate use per minute from samples, last poll', async () => {
    const { sampleRateBuckets } = await import('../../runtime/store/rate-samples-store.ts')
    await f.db
      .insertInto('rateBuckets')
      .values({ connectionId: seed.src.id, tokens: 10, refilledAt: new Date() })
      .execute()
    const minute = 60_000
    const t0 = new Date(Math.floor(Date.now() / minute) * minute - 3 * minute)
    await sampleRateBuckets(f.db, t0)
    await f.db.updateTable('rateBuckets').set({ used: '40', waited: '2' }).execute()
    await sampleRateBuckets(f.db, new Date(t0.getTime() + minute))
    await f.db.updateTable('rateBuckets').set({ used: '100', waited: '2' }).execute()
    await sampleRateBuckets(f.db, new Date(t0.getTime() + 2 * minute))
    // A second process sampling the same minute stores nothing more.
    expect(await sampleRateBuckets(f.db, new Date(t0.getTime() + 2 * minute + 5_000))).toBe(0)
    await f.db
      .updateTable('subscriptions')
      .set({ expiresAt: new Date(Date.now() - 3600_000) })
      .where('id', '=', seed.subscriptionId)
      .execute()
    const notified = new Date(Date.now() - 7200_000)
    await f.db
      .insertInto('webhookInbox')
      .values({
        tenantId: f.tenantA.id,
        connectionId: seed.src.id,
        receivedAt: notified,
        headers: '{}',
        body: Buffer.from('{}'),
        events: '[]',
      })
      .execute()
    const res = await callA('GET', '/v1/diagnostics?hours=1')
    expect(res.status, res.text).toBe(200)
    expect(res.json.subscriptions).toEqual([
      expect.objectContaining({ id: seed.subscriptionId, lastNotificationAt: notified.toISOString() }),
    ])
    const src = res.json.connections.find((x: any) => x.id === seed.src.id)
    expect(src.rateUse.map((u: any) => [u.used, u.waited])).toEqual([
      [40, 2],
      [60, 0],
    ])
    expect(res.json.flows.map((x: any) => x.name).sort()).toEqual(['invoices', 'vendor-invoices'])
    expect(res.json.flows.every((x: any) => x.lastRun?.state)).toBe(true)
    const overview = await callA('GET', '/v1/overview')
    expect(overview.json.attention).toContainEqual(
      expect.objectContaining({ kind: 'subscription', id: seed.subscriptionId }),
    )
    const b = await f.call(f.keyB, 'GET', '/v1/diagnostics')
    expect(b.json).toEqual({ subscriptions: [], connections: [], backlog: {}, flows: [] })
  })
})

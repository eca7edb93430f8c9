import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const BUDGET = { requests: 30, perMs: 3_000 }
const BC = 'http://bc.throttle.localhost'

describe('rate budget shared by two service instances through PostgreSQL', () => {
  let t: TestDatabase
  let bc: Sandbox
  const services: Service[] = []
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('throttling')
    bc = await testRegistry['business-central']!.sandbox!({ baseUrl: BC, seed: 'demo' })
    // The sandbox enforces the same budget BC would, and answers 429 past it (no queueing past the cap).
    await bc.fetch(
      new Request(`${BC}/__sandbox/limits`, {
        method: 'POST',
        body: JSON.stringify({
          requests: BUDGET.requests,
          windowMs: BUDGET.perMs,
          concurrency: 2,
          maxQueue: 0,
        }),
        headers: { 'content-type': 'application/json' },
      }),
    )
    for (let i = 0; i < 2; i++) {
      services.push(
        await startService({
          db: t.db,
          connectionString: t.connectionString,
          box,
          registry: testRegistry,
          log: silentLogger,
          workers: true,
          role: `throttle-${i}`,
          fetch: sandboxFetch([{ baseUrl: BC, sandbox: bc }]),
          limitsFor: (c) => (c.id === 'business-central' ? { budget: BUDGET, concurrency: 2 } : c.limits),
        }),
      )
    }
  })
  afterAll(async () => {
    for (const s of services) await s.stop()
    await bc.close()
    await t.drop()
  })

  it('two workers together stay inside the budget: no 429, no record failed', async () => {
    const tenantId = (await ensureTenant(t.db, 'throttle')).id
    const system = `throttle-${Date.now()}`
    memorySystem(system).seed(
      'invoices',
      Array.from({ length: 40 }, (_, i) => ({ id: `T-${i}` })),
    )
    const src = await saveConnection(t.db, box, {
      tenantId,
      name: 'src',
      connector: 'memory',
      config: { systemId: system, token: 'memory-secret' },
      schema: testRegistry.memory!.configSchema,
    })
    const dst = await saveConnection(t.db, box, {
      tenantId,
      name: 'bc',
      connector: 'business-central',
      config: bc.connectionConfig(),
      schema: testRegistry['business-central']!.configSchema,
    })
    const manifest: FlowManifest = {
      version: 1,
      name: 'throttled',
      connections: { src: 'memory', bc: 'business-central' },
      source: { connection: 'src', stream: 'invoices', pageSize: 10 },
      map: `{ 'displayName': 'Throttle vendor ' & id }`,
      target: { connection: 'bc', stream: 'vendors', operation: 'create' },
    }
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: 'throttled',
      manifest: manifest as never,
      sourceFile: 'x',
      bindings: { src: src.id, bc: dst.id },
    })
    await services[0]!.flowControl.runNow(tenantId, saved.flow.id)
    const started = Date.now()
    await waitFor(
      'all 40 delivered',
      async () => {
        const rows = await t.db
          .selectFrom('records')
          .select('state')
          .where('flowId', '=', saved.flow.id)
          .execute()
        return rows.length === 40 && rows.every((r) => r.state === 'delivered' || r.state === 'failed')
      },
      60_000,
    )
    const rows = await t.db
      .selectFrom('records')
      .select(['state', 'error'])
      .where('flowId', '=', saved.flow.id)
      .execute()
    expect(rows.filter((r) => r.state === 'failed')).toEqual([])
    const stats = (await (await bc.fetch(new Request(`${BC}/__sandbox/stats`))).json()) as {
      throttled: number
      requests: Record<string, number>
      batchOperations: Record<string, number>
    }
    expect(stats.throttled).toBe(0)
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
    // Vendors go in $batch calls (batch delivery); BC charges each operation inside one, and so does Ferry.
    const batches = Object.entries(stats.requests)
      .filter(([route]) => route.includes('$batch'))
      .reduce((n, [, count]) => n + count, 0)
    expect(batches).toBeGreaterThan(0)
    expect(total(stats.batchOperations)).toBeGreaterThanOrEqual(40)
    const calls = total(stats.requests) - batches + total(stats.batchOperations)
    // The budget admits at most BUDGET.requests per window: the run cannot have been faster than that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(
      ((calls - BUDGET.requests) / BUDGET.requests) * BUDGET.perMs * 0.9,
    )
    const used = await t.db
      .selectFrom('rateBuckets')
      .select('used')
      .where('connectionId', '=', dst.id)
      .executeTakeFirstOrThrow()
    // Every API call went through the shared bucket (token requests are counted there too).
    expect(Number(used.used)).toBeGreaterThanOrEqual(calls)
  })
})

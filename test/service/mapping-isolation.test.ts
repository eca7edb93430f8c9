/**
 * Issue 13, finding 3, end to end: the three mapping attacks run as flows' mappings through the product's
 * server (the API and the workers in this process, a real database), while /health is polled. The
 * attacks run in the mapping pool's child processes, so this process's event loop stays free, its
 * memory does not grow, and each record fails with a typed error naming the limit it hit.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { closeProcessMappingPool } from '../../runtime/mapping-pool/process-mapping-pool.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const MB = 1024 * 1024

// The three attacks of the issue, as written there. Each froze the API process for seconds to a minute.
const ATTACKS = [
  { name: 'huge-pad', map: "{ 'n': $length($pad('', 1e8)) }", limits: ['memory_limit', 'wall_time_limit'] },
  {
    name: 'backtracking-regex',
    map: "{ 'm': $match('aaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/) }",
    limits: ['wall_time_limit'],
  },
  {
    name: 'ten-million-range',
    map: "{ 'n': $count([1..1e7]) }",
    limits: ['memory_limit', 'wall_time_limit'],
  },
]

describe('mapping attacks against the running service', () => {
  let t: TestDatabase
  let service: Service
  let server: ReturnType<typeof serve>
  let base: string
  let key: string
  let bindings: { src: string; dst: string }
  const heapBefore = process.env.FERRY_MAPPING_HEAP_MB

  beforeAll(async () => {
    // A child heap that ten million numbers never fit in: the range attack must hit a limit, not succeed
    // on a quiet machine. The same setting an operator uses.
    process.env.FERRY_MAPPING_HEAP_MB = '64'
    await closeProcessMappingPool()
    t = await createTestDatabase('mapping_isolation')
    const box = createSecretBox(randomBytes(32))
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: true,
    })
    const app = createApiApp({
      db: t.db,
      box,
      registry: testRegistry,
      catalog: catalogFromConnectors(testRegistry),
      flowControl: service.flowControl,
      reconcile: service.reconcileControl,
      log: silentLogger,
      contexts: service.engine.deps.contexts,
      boss: service.boss,
      recipesDir: '/nonexistent',
      draining: service.draining,
    })
    app.route('/', service.app)
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const tenant = await ensureTenant(t.db, 'attacker')
    key = (await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })).key
    const connection = async (name: string, systemId: string) =>
      (
        await saveConnection(t.db, box, {
          tenantId: tenant.id,
          name,
          connector: 'memory',
          config: { systemId, token: 'memory-secret' },
          schema: testRegistry.memory!.configSchema,
        })
      ).id
    const srcSystem = `iso-src-${Date.now()}`
    bindings = {
      src: await connection('src', srcSystem),
      dst: await connection('dst', `iso-dst-${Date.now()}`),
    }
    memorySystem(srcSystem).seed('invoices', [{ id: 'INV-1', amount: 10 }])
  }, 120_000)

  afterAll(async () => {
    await new Promise((r) => server?.close(r))
    await service?.stop()
    await closeProcessMappingPool()
    if (heapBefore === undefined) delete process.env.FERRY_MAPPING_HEAP_MB
    else process.env.FERRY_MAPPING_HEAP_MB = heapBefore
    await t?.drop()
  })

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }

  /** Creates and enables a flow with `map`; answers its flow id. */
  const createFlow = async (name: string, map: string) => {
    const text = JSON.stringify({
      version: 1,
      name,
      connections: { src: 'memory', dst: 'memory' },
      source: { connection: 'src', stream: 'invoices' },
      map,
      target: { connection: 'dst', stream: 'documents', operation: 'create' },
      retry: { limit: 1, delay: '1s', backoff: 'fixed' },
    })
    const saved = await api('POST', '/v1/flows', { text, bindings })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    const flowId = saved.body.flow.id as string
    expect((await api('POST', `/v1/flows/${flowId}/enable`)).status).toBeLessThan(300)
    return flowId
  }
  const run = async (flowId: string) => {
    expect((await api('POST', `/v1/flows/${flowId}/run`)).status).toBeLessThan(300)
    return flowId
  }

  /** The flow's one record once it has settled as `state`. */
  const settled = (flowId: string, state: string) =>
    waitFor(
      `the record of ${flowId} to be ${state}`,
      async () => {
        const { body } = await api('GET', `/v1/records?flow=${flowId}`)
        return body.items?.find((r: { state: string }) => r.state === state)
      },
      120_000,
    )

  /**
   * Runs `work` while polling /health and measuring this (the server's) process's event-loop delay, then
   * asserts both. A blocked loop shows the work (seconds to a minute) as one delay. On a loaded two-core
   * machine a process misses its turn now and then for reasons of its own, and during the work this
   * process also runs the flows' reads, writes and queue polling, each stretched by the load. So the same
   * probe first runs for two seconds without the work, and the work's 99th percentile may be at most
   * twice that quiet one plus 50 ms (at least 100 ms, the issue's figure, which a quiet machine meets);
   * no delay may reach 1 s.
   */
  async function whileProbing<T>(work: () => Promise<T>): Promise<T> {
    const quiet = await probe(() => new Promise((r) => setTimeout(r, 2000)))
    const loaded = await probe(work)
    const bound = Math.max(100, 2 * quiet.p99 + 50)
    const seen = `event-loop delay p99 ${loaded.p99} ms, max ${loaded.max} ms (quiet: p99 ${quiet.p99}, max ${quiet.max}); /health answered ${loaded.polls} polls, slowest ${loaded.slowest} ms`
    console.info(seen)
    expect(loaded.p99, seen).toBeLessThan(bound)
    expect(loaded.max, seen).toBeLessThan(1000)
    expect(loaded.polls).toBeGreaterThan(10)
    return loaded.result
  }

  async function probe<T>(work: () => Promise<T>) {
    const delay = monitorEventLoopDelay({ resolution: 10 })
    const health: number[] = []
    let polling = true
    const poll = (async () => {
      while (polling) {
        const started = performance.now()
        const response = await fetch(`${base}/health`)
        await response.arrayBuffer()
        expect(response.status).toBe(200)
        health.push(performance.now() - started)
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    delay.enable()
    let result: T
    try {
      result = await work()
    } finally {
      delay.disable()
      polling = false
      await poll
    }
    const ms = (ns: number) => Math.round(ns / 1e5) / 10
    return {
      result,
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
      polls: health.length,
      slowest: Math.round(Math.max(...health)),
    }
  }

  it('keeps /health answering and the event loop free while the attacks fail with the limit they hit', async () => {
    // The baseline: a good mapping through the same path, so the pool's children are up and warm.
    await settled(await run(await createFlow('good', "{ 'ref': id, 'amount': amount * 2 }")), 'delivered')
    const flows = await Promise.all(
      ATTACKS.map(async (a) => ({ a, flowId: await createFlow(a.name, a.map) })),
    )
    const rssBefore = process.memoryUsage().rss

    const records = await whileProbing(() =>
      Promise.all(
        flows.map(async ({ a, flowId }) => {
          await run(flowId)
          const record = await settled(flowId, 'failed')
          return { ...record.error, limits: a.limits } as { code: string; message: string; limits: string[] }
        }),
      ),
    )
    for (const r of records) {
      expect(r.limits).toContain(r.code)
      expect(r.message).toMatch(/limit/)
    }
    // The attacks' memory was the children's; this process's comes back to where it was.
    await waitFor(
      'RSS back within 50 MB of the baseline',
      async () => process.memoryUsage().rss - rssBefore < 50 * MB,
      30_000,
    )
  }, 300_000)

  /** A flow manifest declaring `count` static lookup tables: large, and slow to check (the issue's 20k lookups). */
  const bigManifest = (name: string, count: number) => {
    const lookups: Record<string, unknown> = {}
    for (let i = 0; i < count; i++) lookups[`vendor${i}`] = { values: { [`k${i}`]: `V${i}` } }
    return JSON.stringify({
      version: 1,
      name,
      connections: { src: 'memory', dst: 'memory' },
      source: { connection: 'src', stream: 'invoices' },
      lookups,
      map: "{ 'ref': id }",
      target: { connection: 'dst', stream: 'documents', operation: 'create' },
    })
  }

  it('checks four large manifests at once off the event loop, /health answering throughout', async () => {
    const texts = [0, 1, 2, 3].map((i) => bigManifest(`big-${i}`, 2500))
    const reports = await whileProbing(() =>
      Promise.all(
        texts.map((text, i) => api('POST', '/v1/manifests/validate', { file: `big-${i}.flow.json`, text })),
      ),
    )
    for (const report of reports) {
      expect(report.status).toBe(200)
      expect(report.body).toMatchObject({ valid: true, errors: 0 })
    }
  }, 300_000)

  it('answers an over-size manifest with a diagnostic that has a place, not a 500', async () => {
    const text = bigManifest('huge', 9000)
    const validated = await api('POST', '/v1/manifests/validate', { file: 'huge.flow.json', text })
    expect(validated.status).toBe(200)
    expect(validated.body.valid).toBe(false)
    expect(validated.body.diagnostics).toEqual([
      expect.objectContaining({
        file: 'huge.flow.json',
        line: 1,
        col: 1,
        pointer: '',
        code: 'too-large',
        message: expect.stringContaining('over the limit of 262144'),
      }),
    ])
    const saved = await api('POST', '/v1/flows', { file: 'huge.flow.json', text, bindings })
    expect(saved.status).toBe(422)
    expect(saved.body.errors[0].detail).toMatch(
      /^huge\.flow\.json:1:1 {2}the manifest is \d+ characters long/,
    )
  }, 120_000)
})

import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { type HttpBindings, serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { type ServedSandbox, serveSandboxes } from '../../runtime/demo/serve-sandboxes.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { type LoggedRequest, logRequests, maxInFlight, maxInWindow } from '../bench/request-log.ts'
import { socketOwners } from '../bench/socket-owners.ts'
import { spawnFerryWorker } from '../support/ferry-worker-process.ts'
import { flowSettled, installRecipeFlows } from '../support/install-recipe-flows.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const INVOICES = 150
const BUDGET = { requests: 60, perMs: 3_000 }
const CONCURRENCY = 2
const masterKey = randomBytes(32)

/** A `ferry worker` child process as an operator starts one, told the small budget through FERRY_LIMITS. */
async function startWorker(databaseUrl: string, dataDir: string): Promise<ChildProcess> {
  return spawnFerryWorker({
    databaseUrl,
    dataDir,
    masterKey,
    env: {
      FERRY_LIMITS: JSON.stringify({ 'business-central': { budget: BUDGET, concurrency: CONCURRENCY } }),
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
}

/** Resolves once the worker says it is working (its queues are polled from then on). */
function working(worker: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('exit', (code) => reject(new Error(`ferry worker exited with ${code}`)))
    worker.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is working')) resolve()
    })
  })
}

/** The BC sandbox on a loopback port, every request logged at its front door. */
async function serveLoggedBc() {
  let sandbox: Sandbox | undefined
  const log = logRequests((request) => sandbox!.fetch(request))
  const server = serve({
    fetch: (request, env) => log.fetch(request, (env as HttpBindings).incoming.socket.remotePort),
    hostname: '127.0.0.1',
    port: 0,
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  sandbox = await connectors['business-central'].sandbox!({ baseUrl, seed: 'demo' })
  return {
    baseUrl,
    sandbox,
    log: log.entries,
    async close() {
      await sandbox!.close()
      await new Promise((r) => server.close(r))
    },
  }
}

const isApiCall = (e: LoggedRequest) => !e.path.includes('/oauth2/') && !e.path.includes('/__sandbox/')

describe('rate budget shared by two worker processes through PostgreSQL', () => {
  let t: TestDatabase
  let bc: Awaited<ReturnType<typeof serveLoggedBc>>
  let basware: ServedSandbox
  let control: Service
  const workers: ChildProcess[] = []
  const box = createSecretBox(masterKey)
  let dataDir: string

  beforeAll(async () => {
    t = await createTestDatabase('throttling-processes')
    dataDir = await temporaryDataDir('ferry-rate-')
    bc = await serveLoggedBc()
    basware = (await serveSandboxes({ basware: connectors.basware }))[0]!
    control = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: connectors,
      log: silentLogger,
      workers: false,
    })
    // The sandbox enforces the small budget the way BC enforces its real one: 429 past it, no queue.
    await fetch(`${bc.baseUrl}/__sandbox/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: BUDGET.requests,
        windowMs: BUDGET.perMs,
        concurrency: CONCURRENCY,
        maxQueue: 0,
      }),
    })
  })
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL')
    await fs.rm(dataDir, { recursive: true, force: true })
    await control.stop()
    await bc.close()
    await basware.close()
    await t.drop()
  })

  it(`${INVOICES} invoices through two ferry worker processes: inside the budget, no 429, none failed`, {
    timeout: 180_000,
  }, async () => {
    await fetch(`${basware.baseUrl}/__sandbox/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: INVOICES }),
    })
    const waiting = (await (
      await fetch(`${basware.baseUrl}/__sandbox/documents?processingStatus=WaitingForTransfer`)
    ).json()) as { invoiceIds: string[] }

    const { tenantId, flowIds } = await installRecipeFlows({
      db: t.db,
      box,
      contexts: control.engine.deps.contexts,
      tenant: 'throttle',
      recipe: 'bc-basware',
      connections: {
        bc: { connector: 'business-central', sandbox: bc.sandbox },
        basware: { connector: 'basware', sandbox: basware.sandbox },
      },
      // Without `order`: a per-key FIFO batch stays with the process that fetched it (it wakes itself for
      // the keys' next records), so an ordered flow would keep one worker busy and the other idle.
      flows: (f) => (f.name === 'basware-invoices-to-bc' ? { ...f, order: undefined } : undefined),
    })
    const flowId = flowIds['basware-invoices-to-bc']!
    for (let i = 0; i < 2; i++) workers.push(await startWorker(t.connectionString, dataDir))
    await Promise.all(workers.map(working))
    await control.flowControl.runNow(tenantId, flowId)

    // The sandbox sees client ports; /proc tells which worker owns each, while the connections live.
    const owners = new Map<number, number>()
    const pids = workers.map((w) => w.pid!)
    const sampler = setInterval(() => socketOwners(pids, owners), 100)
    await waitFor(
      'every invoice settled',
      () => flowSettled(t.db, flowId, waiting.invoiceIds.length),
      150_000,
    ).finally(() => clearInterval(sampler))
    const records = await t.db
      .selectFrom('records')
      .select(['state', 'error'])
      .where('flowId', '=', flowId)
      .execute()
    expect(records.filter((r) => r.state === 'failed')).toEqual([])
    expect(records.filter((r) => r.state === 'delivered')).toHaveLength(waiting.invoiceIds.length)

    const api = bc.log.filter(isApiCall)
    expect(api.filter((e) => e.status === 429)).toEqual([])
    expect(maxInWindow(api, BUDGET.perMs)).toBeLessThanOrEqual(BUDGET.requests)
    expect(maxInFlight(bc.log.filter((e) => !e.path.includes('/__sandbox/')))).toBeLessThanOrEqual(
      CONCURRENCY,
    )
    // Enough work to be throttled at all: more than two windows' worth of budget.
    expect(api.reduce((n, e) => n + e.cost, 0)).toBeGreaterThan(2 * BUDGET.requests)

    const posted = (await (await fetch(`${bc.baseUrl}/__sandbox/state/purchaseInvoices`)).json()) as {
      vendorInvoiceNumber: string
      status: string
    }[]
    const byNumber = new Set(posted.filter((i) => i.status === 'Open').map((i) => i.vendorInvoiceNumber))
    expect(byNumber.size).toBeGreaterThanOrEqual(waiting.invoiceIds.length)

    // Both processes did a real share of the calls, so the budget above was shared, not used by one.
    // (A process claims at most its 32 free slots, hence more invoices than one can hold.)
    const perPid = new Map<number, number>()
    for (const e of api) {
      const pid = owners.get(e.clientPort ?? -1)
      if (pid !== undefined) perPid.set(pid, (perPid.get(pid) ?? 0) + 1)
    }
    const split = JSON.stringify(Object.fromEntries(perPid))
    for (const pid of pids)
      expect(perPid.get(pid) ?? 0, `BC calls per worker pid ${split}`).toBeGreaterThan(api.length / 10)
  })
})

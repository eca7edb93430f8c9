/**
 * `npm run chaos [-- --quick] [-- --invoices N] [-- --seed S]`: the fault suite. The bc-basware invoice
 * flow (with `order: supplierCode`) runs through two real `ferry worker` processes against the BC and
 * Basware sandboxes while faults are injected at random: a worker SIGKILLed (and restarted), a CPU hog
 * on every core, PostgreSQL stopped and restarted, sandbox connections reset mid-response, 429/503
 * bursts, and Basware's callback (its task notification) sent twice or not at all.
 *
 * It judges the outcome by the sandboxes' own state, never Ferry's: every invoice must be in BC once
 * and answered in Basware once (lost 0, duplicated 0), and a supplier's invoices must be created in BC
 * in the order Basware announced them (order violations 0). Exit 1 otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync } from 'node:fs'
import fs from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import pg from 'pg'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { maintainSubscriptions } from '../../runtime/queue/subscriptions.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { createDb } from '../../runtime/store/database.ts'
import {
  type EmbeddedPostgres,
  startEmbeddedPostgres,
  temporaryDataDir,
} from '../../runtime/store/embedded-postgres.ts'
import { migrateToLatest } from '../../runtime/store/migrate.ts'
import { installRecipeFlows } from '../support/install-recipe-flows.ts'
import { judgeOutcome } from './judge-outcome.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'
import { superviseWorkers } from './worker-supervisor.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    invoices: { type: 'string' },
    seed: { type: 'string' },
    'fault-every': { type: 'string' },
  },
})
const quick = values.quick === true
const INVOICES = Number(values.invoices ?? (quick ? 80 : 1_000))
/** Seconds over which the invoices arrive in Basware (faults are injected throughout). */
const PRODUCE_S = quick ? 40 : Math.max(120, INVOICES / 5)
/** Bound on the wait for every invoice to settle once production and faults have stopped. */
const SETTLE_S = quick ? 120 : 900
/** Past SETTLE_S, how long settling may go without one more invoice delivered before it is judged. */
const STALL_S = 60
const FAULT_EVERY_MS = Number(values['fault-every'] ?? (quick ? 4_000 : 6_000))
let seed = Number(values.seed ?? Date.now() % 1_000_000)
const runSeed = seed
/** A seeded PRNG, so a failing run can be repeated with --seed. */
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const started = Date.now()
const say = (line: string) =>
  process.stdout.write(`[chaos +${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`)

const cleanups: (() => Promise<void> | void)[] = []
async function cleanUp() {
  for (const step of cleanups.reverse()) await Promise.resolve(step()).catch(() => undefined)
}

async function main(): Promise<number> {
  say(`${INVOICES} invoices over ${PRODUCE_S}s, a fault every ~${FAULT_EVERY_MS / 1000}s, seed ${runSeed}`)
  process.env.FERRY_EGRESS_ALLOW_LOOPBACK_HTTP = '1'
  const dataDir = await temporaryDataDir('ferry-chaos-')
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }))
  const logDir = path.join(dataDir, 'logs')
  mkdirSync(logDir)
  // What this process's own servers print (the webhook ingress answering 500 while PostgreSQL is
  // down) goes to a file beside the workers' logs, not between the report lines.
  const controlLog = createWriteStream(path.join(logDir, 'control.log'))
  console.error = (...args: unknown[]) => controlLog.write(`${args.map(String).join(' ')}\n`)

  // PostgreSQL behind a proxy with a fixed port, so it can be stopped and started again (on another
  // port) while the workers keep one DATABASE_URL.
  const pgDir = path.join(dataDir, 'pg')
  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres({ dataDir: pgDir, ephemeral: true })
  cleanups.push(() => server?.stop())
  const pgProxy = await startTcpProxy(server.port)
  cleanups.push(() => pgProxy.close())
  const admin = new pg.Client(server.connectionString())
  await admin.connect()
  await admin.query('create database ferry')
  await admin.end()
  const url = new URL(server.connectionString('ferry'))
  url.port = String(pgProxy.port)
  const databaseUrl = url.toString()
  const db = createDb(databaseUrl, { max: 4 })
  cleanups.push(() => db.destroy())
  await migrateToLatest(db)

  // The sandboxes, each behind a proxy that can reset connections mid-response.
  // Ferry's workers reach them through the proxy (baseUrl); this harness's control calls go direct.
  const sandboxes: Record<string, { sandbox: Sandbox; direct: string; proxy: TcpProxy }> = {}
  for (const [id, seedName] of [
    ['business-central', 'demo'],
    ['basware', 'empty'],
  ] as const) {
    let sandbox: Sandbox | undefined
    const http = serve({ fetch: (request) => sandbox!.fetch(request), hostname: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => http.once('listening', () => resolve()))
    const proxy = await startTcpProxy((http.address() as AddressInfo).port)
    const baseUrl = `http://127.0.0.1:${proxy.port}`
    sandbox = await connectors[id].sandbox!({ baseUrl, seed: seedName })
    sandboxes[id] = { sandbox, direct: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, proxy }
    cleanups.push(async () => {
      await proxy.close()
      await sandbox!.close()
      await new Promise((r) => http.close(r))
    })
  }
  const bc = sandboxes['business-central']!
  const bw = sandboxes.basware!
  const json = async <T>(url: string) => (await (await fetch(url)).json()) as T
  const control = async (base: string, route: string, body: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`)
    return res.json() as Promise<unknown>
  }

  // The API side: the webhook ingress Basware's notifications reach, and the flow control.
  const masterKey = randomBytes(32)
  const box = createSecretBox(masterKey)
  let service: Service | undefined
  let ingressPort = 0
  const ingress = serve({ fetch: (request) => service!.app.fetch(request), hostname: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => ingress.once('listening', () => resolve()))
  ingressPort = (ingress.address() as AddressInfo).port
  const publicUrl = `http://127.0.0.1:${ingressPort}`
  service = await startService({
    db,
    connectionString: databaseUrl,
    box,
    registry: connectors,
    log: silentLogger,
    workers: false,
    publicUrl,
    role: 'chaos-control',
  })
  cleanups.push(async () => {
    await service!.stop()
    await new Promise((r) => ingress.close(r))
  })
  const { tenantId, flowIds } = await installRecipeFlows({
    db,
    box,
    contexts: service.engine.deps.contexts,
    tenant: 'chaos',
    recipe: 'bc-basware',
    connections: {
      bc: { connector: 'business-central', sandbox: bc.sandbox },
      basware: { connector: 'basware', sandbox: bw.sandbox },
    },
    flows: (f) => (f.name === 'basware-invoices-to-bc' ? f : undefined),
  })
  const flowId = flowIds['basware-invoices-to-bc']!
  await service.flowControl.enable(tenantId, flowId)
  // What the workers' upkeep does every minute (the workers here are not told the public URL).
  await maintainSubscriptions({ ...service.engine.deps, box, publicUrl })
  const { subscriptions } = await json<{ subscriptions: unknown[] }>(`${bw.direct}/__sandbox/subscriptions`)
  if (subscriptions.length !== 1) throw new Error(`Basware subscriptions: ${JSON.stringify(subscriptions)}`)

  // Two workers, as an operator runs them, supervised as systemd would.
  const workerDir = path.join(dataDir, 'worker')
  mkdirSync(workerDir)
  const workers = superviseWorkers({ count: 2, databaseUrl, dataDir: workerDir, logDir, masterKey, say })
  cleanups.push(() => workers.stop())

  // Faults, injected at random while invoices arrive.
  const faults: Record<string, number> = {
    'worker SIGKILL': 0,
    'CPU hog on every core': 0,
    'PostgreSQL stopped and restarted': 0,
    'connection reset mid-response': 0,
    '429/503 burst': 0,
    'callback sent twice': 0,
    'callback never sent': 0,
  }
  const hogs = new Set<ChildProcess>()
  cleanups.push(() => {
    for (const hog of hogs) hog.kill('SIGKILL')
  })
  const injectors: Record<string, () => Promise<void>> = {
    'worker SIGKILL': async () => {
      await workers.kill(between(0, 2), between(200, 3_000))
    },
    'CPU hog on every core': async () => {
      const ms = between(3_000, 12_000)
      for (let i = 0; i < os.availableParallelism(); i++) {
        const hog = spawn(process.execPath, [
          '-e',
          `const end = Date.now() + ${ms}; while (Date.now() < end) {}`,
        ])
        hogs.add(hog)
        hog.once('exit', () => hogs.delete(hog))
      }
    },
    'PostgreSQL stopped and restarted': async () => {
      const down = server!
      pgProxy.target = undefined
      server = undefined
      await down.stop()
      await sleep(between(1_000, 6_000))
      server = await startEmbeddedPostgres({ dataDir: pgDir, ephemeral: true })
      pgProxy.target = server.port
    },
    'connection reset mid-response': async () => {
      const target = random() < 0.5 ? bc : bw
      target.proxy.resetMidResponse(between(1, 4))
    },
    '429/503 burst': async () => {
      const status = random() < 0.5 ? 429 : 503
      if (random() < 0.5) {
        await control(bc.direct, '/__sandbox/faults', { errorRate: 0.6, errorStatus: status })
        await sleep(between(1_000, 5_000))
        await control(bc.direct, '/__sandbox/faults', {})
      } else {
        await control(bw.direct, '/__sandbox/faults', { status, retryAfter: '1', times: between(3, 20) })
      }
    },
    'callback sent twice': async () => {
      await control(bw.direct, '/__sandbox/settings', { duplicateWebhooks: true })
      await sleep(between(2_000, 6_000))
      await control(bw.direct, '/__sandbox/settings', { duplicateWebhooks: false })
    },
    'callback never sent': async () => {
      await control(bw.direct, '/__sandbox/settings', { dropWebhooks: between(1, 6) })
    },
  }
  const kinds = Object.keys(injectors)
  let producing = true
  const faultLoop = (async () => {
    // Every kind once first (in random order), then at random.
    const order = [...kinds].sort(() => random() - 0.5)
    while (producing) {
      await sleep(between(FAULT_EVERY_MS / 2, (FAULT_EVERY_MS * 3) / 2))
      if (!producing) break
      const kind = order.shift() ?? kinds[between(0, kinds.length)]!
      faults[kind]!++
      say(`fault: ${kind}`)
      await injectors[kind]!().catch((error) => say(`fault ${kind} failed to inject: ${error}`))
    }
  })()

  // Invoices arrive in Basware in small batches; each one is announced by a callback. The schedule
  // (every 15 minutes in the recipe) is played by a run requested every few seconds.
  const seeded: string[] = []
  const batches = quick ? 20 : 40
  for (let b = 0; b < batches; b++) {
    const count = Math.floor(((b + 1) * INVOICES) / batches) - seeded.length
    const { invoiceIds } = (await control(bw.direct, '/__sandbox/documents', { count })) as {
      invoiceIds: string[]
    }
    seeded.push(...invoiceIds)
    if (b % 3 === 0) await service.flowControl.runNow(tenantId, flowId).catch(() => undefined)
    if (b % 5 === 0) say(`${seeded.length}/${INVOICES} invoices in Basware`)
    await sleep((PRODUCE_S * 1000) / batches)
  }
  producing = false
  await faultLoop
  for (const hog of hogs) hog.kill('SIGKILL')
  await control(bc.direct, '/__sandbox/faults', {})
  await fetch(`${bw.direct}/__sandbox/faults`, { method: 'DELETE' })
  await control(bw.direct, '/__sandbox/settings', { duplicateWebhooks: false, dropWebhooks: 0 })
  faults['connection reset mid-response'] = bc.proxy.resets + bw.proxy.resets
  say(`every invoice is in Basware; faults stopped: ${JSON.stringify(faults)}`)

  // Settling: the schedule keeps running until the sandboxes show every invoice answered.
  const deadline = Date.now() + SETTLE_S * 1000
  const judge = async () => {
    // The place each invoice has in Ferry's reading (records.seq of the version delivered): the
    // source order `order:` promises. The rest of the verdict is the sandboxes' alone.
    const rows = await db
      .selectFrom('records')
      .select(['sourceKey', 'seq'])
      .where('flowId', '=', flowId)
      .where('state', '=', 'delivered')
      .execute()
    const readOrder = new Map(rows.map((r) => [r.sourceKey, BigInt(r.seq)]))
    return judgeOutcome({ bcBaseUrl: bc.direct, bwBaseUrl: bw.direct, invoiceIds: seeded, readOrder })
  }
  // On a loaded machine settling is slow, not stuck: while invoices keep arriving in BC the wait goes
  // on (up to three times the bound); only a stall of STALL_S with invoices missing ends it early.
  const hardDeadline = Date.now() + 3 * SETTLE_S * 1000
  let outcome = await judge()
  let lastProgress = Date.now()
  while (
    outcome.pending > 0 &&
    (Date.now() < deadline || (Date.now() < hardDeadline && Date.now() - lastProgress < STALL_S * 1000))
  ) {
    await service.flowControl.runNow(tenantId, flowId).catch(() => undefined)
    await sleep(5_000)
    const before = outcome.delivered
    outcome = await judge()
    if (outcome.delivered > before) lastProgress = Date.now()
    say(`settling: ${outcome.delivered} delivered, ${outcome.pending} not yet`)
  }

  const ferryView = await db
    .selectFrom('records')
    .select(['state'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('flowId', '=', flowId)
    .groupBy('state')
    .execute()
  // Why Ferry gave up on a record, when it did (its own view; the verdict above is the sandboxes').
  const failures = await db
    .selectFrom('records')
    .select(['sourceKey', 'error'])
    .where('flowId', '=', flowId)
    .where('state', '=', 'failed')
    .limit(10)
    .execute()
  const lost = outcome.pending
  const report = {
    date: new Date().toISOString(),
    seed: runSeed,
    machine: `${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    durationS: Math.round((Date.now() - started) / 1000),
    invoices: seeded.length,
    faults,
    workerExitsUnplanned: workers.unplannedExits,
    delivered: outcome.delivered,
    lost,
    duplicated: outcome.duplicated,
    orderViolations: outcome.orderViolations,
    orderCheckedOver: outcome.orderCheckedOver,
    readAfterLaterAnnounced: outcome.readAfterLaterAnnounced,
    ferryRecords: Object.fromEntries(ferryView.map((r) => [r.state, Number(r.n)])),
    ferryFailures: failures.map((f) => ({ sourceKey: f.sourceKey, error: f.error })),
    details: outcome.details.slice(0, 20),
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  const ok = lost === 0 && outcome.duplicated === 0 && outcome.orderViolations === 0
  say(ok ? 'PASS: 0 lost, 0 duplicated, 0 order violations' : 'FAIL')
  if (!ok && process.env.FERRY_CHAOS_KEEP) {
    say(`keeping ${dataDir} (worker logs in ${logDir})`)
    cleanups.shift()
  }
  return ok ? 0 : 1
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    say(`${signal}: cleaning up`)
    void cleanUp().finally(() => process.exit(130))
  })

main()
  .then(
    async (code) => {
      await cleanUp()
      process.exit(code)
    },
    async (error) => {
      process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`)
      await cleanUp()
      process.exit(2)
    },
  )
  .catch(() => process.exit(2))

import { createDb } from '../../../runtime/store/database.ts'
import { countByState } from '../../../runtime/store/records-store.ts'
import { NO_LIMITS, startBenchEnvironment } from '../bench-environment.ts'
import { backendPid, databaseActivity, describeActivityPer } from '../database-activity.ts'
import { loadFlowManifest } from '../load-flow-manifest.ts'
import { machineBusyMs, processCpuMs, processRssMb, processTreeCpuMs } from '../proc-stats.ts'
import { settledCount } from '../record-states.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const VENDOR_FLOW = 'manifests/recipes/bc-basware/vendors-to-basware.flow.yaml'
const TARGET_RSS_MB = 300
const TARGET_PER_SECOND = 2000
const SAMPLE_MS = 200
const COUNT_EVERY = 5
const STATS_FLUSH_MS = 1500

const sizes = (quick: boolean) =>
  quick ? { vendors: 10_000, early: 1_000 } : { vendors: 100_000, early: 10_000 }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { vendors, early } = sizes(quick)
  const env = await startBenchEnvironment({ sandboxes: ['business-central', 'basware'] })
  try {
    const { tenantId, connections } = await env.tenant('bench')
    const flowId = await env.flow(tenantId, connections, loadFlowManifest(VENDOR_FLOW))
    const generated = Date.now()
    await env.control('business-central', '/vendors/generate', { count: vendors })
    const generateSeconds = (Date.now() - generated) / 1000
    const worker = await env.startWorker({ BENCH_LIMITS: NO_LIMITS })
    const pid = worker.ready.pid
    const idleRss = processRssMb(pid).rss
    await env.control('basware', '/stats/reset', {})
    let peakEarly = 0
    let peak = 0
    let settled = 0
    const cpuBefore = {
      worker: processCpuMs(pid),
      sandbox: processTreeCpuMs(env.sandboxPid),
      machine: machineBusyMs(),
    }
    // The scenario counts records by state on a connection of its own, kept out of PostgreSQL's figures.
    const counter = createDb(env.database.connectionString, { max: 1 })
    const counterBackend = await backendPid(counter)
    const dbBefore = await databaseActivity(env.db, [counterBackend])
    const started = process.hrtime.bigint()
    await env.runNow(tenantId, flowId)
    const deadline = Date.now() + (quick ? 120_000 : 600_000)
    // The demo seed's own vendors come on top of the generated ones.
    for (let expected = vendors, tick = 0; settled < expected; tick++) {
      await sleep(SAMPLE_MS)
      const rss = processRssMb(pid).rss
      peak = Math.max(peak, rss)
      if (settled <= early) peakEarly = Math.max(peakEarly, rss)
      // Counting 100,000 records by state is a scan; once a second keeps the driver's load on PostgreSQL small.
      if (tick % COUNT_EVERY !== COUNT_EVERY - 1) continue
      const states = await countByState(counter, flowId)
      settled = settledCount(states)
      expected = Math.max(
        vendors,
        Object.values(states).reduce((a, b) => a + b, 0),
      )
      if (Date.now() > deadline)
        throw new Error(`only ${settled} of ${expected} vendors settled: ${JSON.stringify(states)}`)
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const perRecord = (ms: number) => (ms / Math.max(1, settled)).toFixed(2)
    const workerMs = processCpuMs(pid) - cpuBefore.worker
    const sandboxMs = processTreeCpuMs(env.sandboxPid) - cpuBefore.sandbox
    const otherMs = machineBusyMs() - cpuBefore.machine - workerMs - sandboxMs
    // Backends flush their statistics within about a second of going idle.
    await sleep(STATS_FLUSH_MS)
    const dbAfter = await databaseActivity(env.db, [counterBackend])
    await counter.destroy()
    const states = await countByState(env.db, flowId)
    const stats = (await env.control('basware', '/stats')) as { byRoute: Record<string, number> }
    const imports = stats.byRoute['POST /v1/vendors'] ?? 0
    const rate = settled / seconds
    const failed = states.failed ?? 0
    return {
      figure: peak,
      unit: 'MB peak RSS',
      baseline: peakEarly,
      baselineLabel: `peak RSS by ${early.toLocaleString('en')} settled`,
      ratio: peak / Math.max(1, peakEarly),
      targetMet: peak < TARGET_RSS_MB && rate >= TARGET_PER_SECOND && failed === 0,
      notes:
        `${Math.round(rate)} records/s (target ≥ ${TARGET_PER_SECOND}); ${settled.toLocaleString('en')} settled ` +
        `(${states.delivered ?? 0} delivered, ${states.skipped ?? 0} skipped, ${failed} failed) in ${seconds.toFixed(1)} s; ` +
        `${imports} Basware imports (${(settled / Math.max(1, imports)).toFixed(0)} vendors each); ` +
        `worker RSS idle ${idleRss.toFixed(0)} MB, peak by ${early.toLocaleString('en')} settled ${peakEarly.toFixed(0)} MB, ` +
        `peak over all ${peak.toFixed(0)} MB (target < ${TARGET_RSS_MB}, flat); CPU ms per record: worker ` +
        `${perRecord(workerMs)}, sandboxes ${perRecord(sandboxMs)}, rest of the machine (PostgreSQL, driver, other load) ${perRecord(otherMs)}; ` +
        `${describeActivityPer(dbBefore, dbAfter, settled)}; generating the vendors in the BC sandbox took ${generateSeconds.toFixed(1)} s`,
      samples: [peak, rate],
    }
  } finally {
    await env.stop()
  }
}

/** Issue 8, scenario 6: a backfill of many BC vendors into Basware, memory and throughput. */
export const backfillMemory: BenchScenario = {
  id: 'backfill-memory',
  title: 'Backfill memory: BC vendors → Basware vendors',
  workload:
    'manifests/recipes/bc-basware/vendors-to-basware.flow.yaml as shipped (BC vendors read in pages of 1,000; ' +
    'Basware vendor imports of up to 200 through the batch queue, each import followed by its requestStatus). ' +
    'BC and Basware sandboxes (demo seed, zero latency) in a child process; 100,000 generated vendors (10,000 with ' +
    '--quick) added to the BC sandbox (POST /__sandbox/vendors/generate) before one bench worker process starts ' +
    '(limits off: the engine measured, not a remote budget); embedded PostgreSQL with fsync on. One API run of ' +
    'the flow (its first: every vendor); timed from the run being queued until every record is settled (records ' +
    `table counted every ${SAMPLE_MS * COUNT_EVERY} ms, worker VmRSS sampled every ${SAMPLE_MS} ms). Figure: the worker's peak RSS; ` +
    'baseline: its peak while the first 10,000 (1,000 with --quick) were settling, to show it flat. One run ' +
    '(a backfill is long; the samples are peak MB and records/s). Notes also give PostgreSQL per record: the CPU of ' +
    'its processes (the scenario’s own counting connection left out) and, from pg_stat_database and the WAL position, ' +
    'commits, rows inserted/updated/deleted and WAL bytes.',
  target: `peak RSS < ${TARGET_RSS_MB} MB, flat from 10k to 100k, and ≥ ${TARGET_PER_SECOND} records/s`,
  run,
}

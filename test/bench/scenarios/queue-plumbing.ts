import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { silentLogger } from '../../../runtime/log/create-logger.ts'
import { createBoss } from '../../../runtime/queue/create-boss.ts'
import { type DeliverWorkers, startDeliverWorkers } from '../../../runtime/queue/deliver-worker.ts'
import { queueDispatcher } from '../../../runtime/queue/queue-dispatcher.ts'
import { QUEUES } from '../../../runtime/queue/queues.ts'
import type { Db } from '../../../runtime/store/database.ts'
import { startBenchDatabase } from '../bench-database.ts'
import { median } from '../median.ts'
import { processTreeCpuMs } from '../proc-stats.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const TARGET = 15_000
const BARE_QUEUE = 'bench-bare-noop'
const sizes = (quick: boolean) => (quick ? { jobs: 5_000, runs: 3 } : { jobs: 20_000, runs: 5 })

async function completed(db: Db, queue: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job where name = ${queue} and state = 'completed'`.execute(db)
  return rows[0]!.n
}

/** The postmaster's pid, found as the parent of this connection's backend. */
async function postmasterPid(db: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
  const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

/** CPU ms of PostgreSQL so far: the postmaster, its live backends and the ones that exited (cutime, cstime). */
function postgresCpuMs(postmaster: number): number {
  const fields = readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return processTreeCpuMs(postmaster) + (Number(fields[13]) + Number(fields[14])) * 10
}

/** One drain: deliveries/s and CPU µs per delivery, this process and PostgreSQL apart. */
interface Drain {
  rate: number
  nodeUs: number
  postgresUs: number
}

/**
 * Starts the workers, waits until `jobs` more jobs of `queue` are completed and measures the drain.
 * `start` gets a counter for its handler: the database is polled only once every job was handled,
 * so the poll's own count(*) does not weigh on PostgreSQL's CPU during the drain.
 */
async function drain(
  db: Db,
  queue: string,
  jobs: number,
  start: (handled: () => void) => Promise<unknown>,
): Promise<Drain> {
  let handled = 0
  const before = await completed(db, queue)
  const postmaster = await postmasterPid(db)
  const node = process.cpuUsage()
  const postgres = postgresCpuMs(postmaster)
  const started = process.hrtime.bigint()
  await start(() => handled++)
  while (handled < jobs) await new Promise((r) => setTimeout(r, 5))
  while ((await completed(db, queue)) < before + jobs) await new Promise((r) => setTimeout(r, 5))
  const rate = jobs / (Number(process.hrtime.bigint() - started) / 1e9)
  const used = process.cpuUsage(node)
  return {
    rate,
    nodeUs: (used.user + used.system) / jobs,
    postgresUs: ((postgresCpuMs(postmaster) - postgres) * 1000) / jobs,
  }
}

async function ferryRun(db: Db, boss: PgBoss, jobs: number, connectionString: string): Promise<Drain> {
  // Ferry's own enqueue path (sortable deterministic ids, chunked inserts in the caller's transaction).
  const dispatcher = queueDispatcher(boss)
  const flowId = randomUUID()
  const tickets = Array.from({ length: jobs }, (_, i) => ({
    recordId: randomUUID(),
    orderKey: null,
    ordinal: BigInt(i),
  }))
  await db.transaction().execute((trx) => dispatcher.enqueue(trx, flowId, tickets))
  let workers: DeliverWorkers | undefined
  const rate = await drain(db, QUEUES.deliver, jobs, async (handled) => {
    workers = await startDeliverWorkers({
      boss,
      dispatcher,
      log: silentLogger,
      connectionString,
      deliver: async () => {
        handled()
        return { status: 'delivered' }
      },
      deliverMany: async (ids) => ids.map(() => ({ status: 'delivered' })),
    })
  })
  await workers?.stop()
  return rate
}

async function bareRun(db: Db, boss: PgBoss, jobs: number): Promise<Drain> {
  for (let i = 0; i < jobs; i += 1000) {
    await boss.insert(
      BARE_QUEUE,
      Array.from({ length: Math.min(1000, jobs - i) }, () => ({ data: { recordId: randomUUID() } })),
    )
  }
  const rate = await drain(db, BARE_QUEUE, jobs, (handled) =>
    boss.work(
      BARE_QUEUE,
      { batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true },
      async (batch) => {
        for (const _ of batch) handled()
      },
    ),
  )
  await boss.offWork(BARE_QUEUE, { wait: true })
  return rate
}

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { jobs, runs } = sizes(quick)
  const database = await startBenchDatabase()
  const boss = await createBoss({ connectionString: database.connectionString, role: 'bench', max: 10 })
  try {
    await boss.createQueue(BARE_QUEUE)
    await ferryRun(database.db, boss, 1000, database.connectionString)
    await bareRun(database.db, boss, 1000)
    const ferry: Drain[] = []
    const bare: Drain[] = []
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        ferry.push(await ferryRun(database.db, boss, jobs, database.connectionString))
        bare.push(await bareRun(database.db, boss, jobs))
      } else {
        bare.push(await bareRun(database.db, boss, jobs))
        ferry.push(await ferryRun(database.db, boss, jobs, database.connectionString))
      }
    }
    const figure = median(ferry.map((f) => f.rate))
    const cpu = (runs: Drain[]) =>
      `${median(runs.map((r) => r.nodeUs)).toFixed(0)} µs node + ` +
      `${median(runs.map((r) => r.postgresUs)).toFixed(0)} µs PostgreSQL`
    return {
      figure,
      unit: 'deliveries/s',
      baseline: median(bare.map((b) => b.rate)),
      baselineLabel: 'bare pg-boss (batch 100 × 4, burst)',
      ratio: median(ferry.map((f, i) => f.rate / bare[i]!.rate)),
      targetMet: figure >= TARGET,
      notes:
        `${jobs} no-op jobs per run, medians of ${runs} interleaved runs; CPU per delivery: ` +
        `Ferry ${cpu(ferry)}, bare pg-boss ${cpu(bare)}`,
      samples: ferry.map((f) => f.rate),
    }
  } finally {
    await boss.stop({ graceful: false, close: true })
    await database.stop()
  }
}

/** Issue 8, scenario 8: Ferry's delivery job path with a no-op delivery against bare pg-boss. */
export const queuePlumbing: BenchScenario = {
  id: 'queue-plumbing',
  title: 'Queue plumbing: no-op deliveries through Ferry’s job path',
  workload:
    'Embedded PostgreSQL (fsync on), one process. Ferry: queueDispatcher.enqueue of 20,000 tickets (5,000 with ' +
    '--quick) in one transaction (untimed), then startDeliverWorkers (default: 32 slots, each fetch ' +
    'asking for exactly the slots free, completions batched per tick) with a deliver() that returns `delivered` at once; timed from starting the workers until ' +
    'every job was handled (counted in process, checked every 5 ms) and then pgboss.job shows all completed (polled every 5 ms). Baseline: the same count inserted with boss.insert into ' +
    'a standard queue, drained by boss.work with batchSize 100, localConcurrency 4, burstWhenBatchFull and a no-op ' +
    'handler, timed the same way. One 1,000-job warm-up each, then 5 runs (3 with --quick) alternating which ' +
    'goes first. CPU per delivery: this process (process.cpuUsage) and PostgreSQL (postmaster tree from /proc, ' +
    'exited backends included) over the same span.',
  target: `≥ ${TARGET.toLocaleString('en')} deliveries/s (pg-boss alone ~23,000/s here)`,
  run,
}

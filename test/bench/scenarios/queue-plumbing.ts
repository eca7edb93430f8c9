import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { silentLogger } from '../../../runtime/log/create-logger.ts'
import { createBoss } from '../../../runtime/queue/create-boss.ts'
import { startDeliverWorkers } from '../../../runtime/queue/deliver-worker.ts'
import { queueDispatcher } from '../../../runtime/queue/queue-dispatcher.ts'
import { QUEUES } from '../../../runtime/queue/queues.ts'
import type { Db } from '../../../runtime/store/database.ts'
import { startBenchDatabase } from '../bench-database.ts'
import { median } from '../median.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const TARGET = 15_000
const BARE_QUEUE = 'bench-bare-noop'
const sizes = (quick: boolean) => (quick ? { jobs: 5_000, runs: 3 } : { jobs: 20_000, runs: 5 })

async function completed(db: Db, queue: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job where name = ${queue} and state = 'completed'`.execute(db)
  return rows[0]!.n
}

/** Starts the workers, waits until `jobs` more jobs of `queue` are completed and returns jobs/s. */
async function drain(db: Db, queue: string, jobs: number, start: () => Promise<unknown>): Promise<number> {
  const before = await completed(db, queue)
  const started = process.hrtime.bigint()
  await start()
  while ((await completed(db, queue)) < before + jobs) await new Promise((r) => setTimeout(r, 25))
  return jobs / (Number(process.hrtime.bigint() - started) / 1e9)
}

async function ferryRun(db: Db, boss: PgBoss, jobs: number): Promise<number> {
  // Ferry's own enqueue path (sortable deterministic ids, chunked inserts in the caller's transaction).
  const dispatcher = queueDispatcher(boss)
  const flowId = randomUUID()
  const tickets = Array.from({ length: jobs }, (_, i) => ({
    recordId: randomUUID(),
    orderKey: null,
    ordinal: BigInt(i),
  }))
  await db.transaction().execute((trx) => dispatcher.enqueue(trx, flowId, tickets))
  const rate = await drain(db, QUEUES.deliver, jobs, () =>
    startDeliverWorkers({
      boss,
      dispatcher,
      log: silentLogger,
      deliver: async () => ({ status: 'delivered' }),
      deliverMany: async (ids) => ids.map(() => ({ status: 'delivered' })),
    }),
  )
  await boss.offWork(QUEUES.deliver, { wait: true })
  await boss.offWork(QUEUES.deliverOrdered, { wait: true })
  return rate
}

async function bareRun(db: Db, boss: PgBoss, jobs: number): Promise<number> {
  for (let i = 0; i < jobs; i += 1000) {
    await boss.insert(
      BARE_QUEUE,
      Array.from({ length: Math.min(1000, jobs - i) }, () => ({ data: { recordId: randomUUID() } })),
    )
  }
  const rate = await drain(db, BARE_QUEUE, jobs, () =>
    boss.work(
      BARE_QUEUE,
      { batchSize: 100, localConcurrency: 4, burstWhenBatchFull: true },
      async () => undefined,
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
    await ferryRun(database.db, boss, 1000)
    await bareRun(database.db, boss, 1000)
    const ferry: number[] = []
    const bare: number[] = []
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        ferry.push(await ferryRun(database.db, boss, jobs))
        bare.push(await bareRun(database.db, boss, jobs))
      } else {
        bare.push(await bareRun(database.db, boss, jobs))
        ferry.push(await ferryRun(database.db, boss, jobs))
      }
    }
    const figure = median(ferry)
    return {
      figure,
      unit: 'deliveries/s',
      baseline: median(bare),
      baselineLabel: 'bare pg-boss (batch 100 × 4, burst)',
      ratio: median(ferry.map((f, i) => f / bare[i]!)),
      targetMet: figure >= TARGET,
      notes: `${jobs} no-op jobs per run, medians of ${runs} interleaved runs`,
      samples: ferry,
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
    '--quick) in one transaction (untimed), then startDeliverWorkers (default: 8 lanes fetching 4 each, burst, ' +
    'plain batch completion) with a deliver() that returns `delivered` at once; timed from starting the workers until ' +
    'pgboss.job shows all completed (polled every 25 ms). Baseline: the same count inserted with boss.insert into ' +
    'a standard queue, drained by boss.work with batchSize 100, localConcurrency 4, burstWhenBatchFull and a no-op ' +
    'handler, timed the same way. One 1,000-job warm-up each, then 5 runs (3 with --quick) alternating which ' +
    'goes first.',
  target: `≥ ${TARGET.toLocaleString('en')} deliveries/s (pg-boss alone ~23,000/s here)`,
  run,
}

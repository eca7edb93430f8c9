import { randomUUID } from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryOutcome } from '../../runtime/engine/deliver/delivery.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createBoss } from '../../runtime/queue/create-boss.ts'
import { startDeliverWorkers } from '../../runtime/queue/deliver-worker.ts'
import { queueDispatcher } from '../../runtime/queue/queue-dispatcher.ts'
import { createQueues, QUEUES } from '../../runtime/queue/queues.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

describe('delivery workers on pg-boss', () => {
  let t: TestDatabase
  let boss: PgBoss

  beforeAll(async () => {
    t = await createTestDatabase('deliver-worker')
    boss = await createBoss({ connectionString: t.connectionString, role: 'deliver-worker-test', max: 4 })
    await createQueues(boss)
  })
  afterAll(async () => {
    await boss.stop({ graceful: false, close: true })
    await t.drop()
  })

  it('an infrastructure failure fails only its own job, which pg-boss retries; the batch around it completes once', async () => {
    const dispatcher = queueDispatcher(boss)
    const ids = Array.from({ length: 30 }, () => randomUUID())
    const broken = ids[7]!
    const calls = new Map<string, number>()
    await t.db.transaction().execute((trx) =>
      dispatcher.enqueue(
        trx,
        randomUUID(),
        ids.map((recordId, i) => ({ recordId, orderKey: null, ordinal: BigInt(i) })),
      ),
    )
    const workers = await startDeliverWorkers({
      boss,
      dispatcher,
      log: silentLogger,
      deliver: async (recordId): Promise<DeliveryOutcome> => {
        const n = (calls.get(recordId) ?? 0) + 1
        calls.set(recordId, n)
        if (recordId === broken && n === 1) throw new Error('connection terminated unexpectedly')
        return { status: 'delivered' }
      },
      deliverMany: async () => {
        throw new Error('no batch jobs in this test')
      },
    })
    await waitFor(
      'every record delivered',
      async () => ids.every((id) => calls.has(id)) && (calls.get(broken) ?? 0) >= 2,
      60_000,
    )
    await workers.stop()
    for (const id of ids) expect(calls.get(id)).toBe(id === broken ? 2 : 1)
    const jobs = await boss.findJobs(QUEUES.deliver, {})
    const states = jobs.map((j) => j.state)
    expect(states.filter((s) => s === 'completed')).toHaveLength(30)
    const retried = jobs.find((j) => (j.data as { recordId: string }).recordId === broken)
    expect(retried?.retryCount).toBe(1)
  }, 90_000)

  it('concurrency bounds the unordered deliveries in flight per process; every fetched job starts', async () => {
    const dispatcher = queueDispatcher(boss)
    const ids = Array.from({ length: 40 }, () => randomUUID())
    let inFlight = 0
    let most = 0
    const done = new Set<string>()
    await t.db.transaction().execute((trx) =>
      dispatcher.enqueue(
        trx,
        randomUUID(),
        ids.map((recordId, i) => ({ recordId, orderKey: null, ordinal: BigInt(i) })),
      ),
    )
    const workers = await startDeliverWorkers({
      boss,
      dispatcher,
      log: silentLogger,
      concurrency: 8,
      deliver: async (recordId) => {
        most = Math.max(most, ++inFlight)
        await new Promise((r) => setTimeout(r, 50))
        inFlight--
        done.add(recordId)
        return { status: 'delivered' }
      },
      deliverMany: async () => {
        throw new Error('no batch jobs in this test')
      },
    })
    await waitFor('all 40 delivered', async () => done.size === 40, 60_000)
    await workers.stop()
    // Two lanes of four: more than one fetch's worth at once, never more than asked for.
    expect(most).toBeGreaterThan(4)
    expect(most).toBeLessThanOrEqual(8)
  }, 90_000)

  it('records of batching flows go 25 to a job and reach deliverMany up to 200 at a time; a retry goes back one by one', async () => {
    const dispatcher = queueDispatcher(boss)
    const ids = Array.from({ length: 450 }, () => randomUUID())
    const retried = ids[123]!
    const calls: string[][] = []
    const single: string[] = []
    await t.db.transaction().execute((trx) =>
      dispatcher.enqueue(
        trx,
        randomUUID(),
        ids.map((recordId, i) => ({ recordId, orderKey: null, ordinal: BigInt(i), batch: true })),
      ),
    )
    // One job per 25 records, not one per record: a job row is inserted, fetched and completed per chunk.
    const jobs = await boss.findJobs<{ recordIds: string[] }>(QUEUES.deliverBatch, {})
    expect(jobs).toHaveLength(18)
    expect(jobs.flatMap((j) => j.data.recordIds).sort()).toEqual([...ids].sort())
    const workers = await startDeliverWorkers({
      boss,
      dispatcher,
      log: silentLogger,
      deliver: async (recordId) => {
        single.push(recordId)
        return { status: 'delivered' }
      },
      deliverMany: async (recordIds): Promise<DeliveryOutcome[]> => {
        calls.push([...recordIds])
        return recordIds.map((id) =>
          id === retried ? { status: 'retry', delayMs: 1000, attempt: 1 } : { status: 'delivered' },
        )
      },
    })
    await waitFor('the retried record delivered alone', async () => single.includes(retried), 60_000)
    await workers.stop()
    const batched = calls.flat()
    expect(batched.sort()).toEqual([...ids].sort())
    // Up to 200 per call; how the eight lanes split the 450 depends on how fast each fetches.
    expect(Math.max(...calls.map((c) => c.length))).toBeLessThanOrEqual(200)
    expect(calls.length).toBeLessThan(450 / 10)
    expect(single).toEqual([retried])
  }, 90_000)
})

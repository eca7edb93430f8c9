import { randomUUID } from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createBoss } from '../../runtime/queue/create-boss.ts'
import { listenForNewJobs } from '../../runtime/queue/listen-for-new-jobs.ts'
import { openClaimsPool } from '../../runtime/queue/open-claims-pool.ts'
import { startSlotWorker } from '../../runtime/queue/slot-worker.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

/** A job data shape for the tests. */
interface Item {
  n: number
}

describe('slot worker on pg-boss', () => {
  let t: TestDatabase
  let boss: PgBoss

  beforeAll(async () => {
    t = await createTestDatabase('slot-worker')
    boss = await createBoss({ connectionString: t.connectionString, role: 'slot-worker-test', max: 4 })
  })
  afterAll(async () => {
    await boss.stop({ graceful: false, close: true })
    await t.drop()
  })

  it('claims exactly the free slots: the jobs it has not started stay queued for other processes', async () => {
    const queue = `slots-${randomUUID()}`
    await boss.createQueue(queue, { notify: true })
    await boss.insert(
      queue,
      Array.from({ length: 10 }, (_, n) => ({ data: { n } })),
    )
    const releases: (() => void)[] = []
    const started: number[] = []
    const claims = openClaimsPool(t.connectionString, { role: 'slot-worker-test' })
    const worker = startSlotWorker<Item>({
      boss,
      queue,
      slots: 3,
      log: silentLogger,
      db: claims.db,
      run: async (job) => {
        started.push(job.data.n)
        await new Promise<void>((r) => releases.push(r))
        return { status: 'completed' }
      },
    })
    await waitFor('three jobs started', async () => started.length === 3)
    const states = async () => (await boss.findJobs(queue, {})).map((j) => j.state)
    // Three active (all started), seven still created: nothing claimed and left waiting.
    expect((await states()).filter((s) => s === 'active')).toHaveLength(3)
    expect((await states()).filter((s) => s === 'created')).toHaveLength(7)
    // One slot frees: one more job is claimed, never more than the slots.
    releases.shift()!()
    await waitFor('a fourth job started', async () => started.length === 4)
    expect((await states()).filter((s) => s === 'active').length).toBeLessThanOrEqual(3)
    while (started.length < 10 || releases.length > 0) {
      releases.shift()?.()
      await new Promise((r) => setTimeout(r, 10))
    }
    await worker.stop()
    await claims.close()
    expect((await states()).every((s) => s === 'completed')).toBe(true)
    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  }, 60_000)

  it('an idle worker is woken by the NOTIFY of a new job, not by its poll', async () => {
    const queue = `wake-${randomUUID()}`
    await boss.createQueue(queue, { notify: true })
    const listener = await listenForNewJobs(boss, silentLogger)
    const done: number[] = []
    const worker = startSlotWorker<Item>({
      boss,
      queue,
      slots: 4,
      log: silentLogger,
      // Longer than the wait below: only the wake-up can deliver the job in time.
      pollIntervalMs: 600_000,
      run: async (job) => {
        done.push(job.data.n)
        return { status: 'completed' }
      },
    })
    listener.on(queue, worker.wake)
    // Let the first (empty) fetch finish so the worker is asleep.
    await new Promise((r) => setTimeout(r, 500))
    await boss.send(queue, { n: 7 })
    await waitFor('the job delivered', async () => done.length === 1, 60_000)
    await worker.stop()
    await listener.close()
    expect(done).toEqual([7])
  }, 90_000)

  it('a failed outcome fails the job with its output, and pg-boss retries it', async () => {
    const queue = `fail-${randomUUID()}`
    await boss.createQueue(queue, { notify: true, retryLimit: 2, retryDelay: 0 })
    const id = await boss.send(queue, { n: 1 })
    const attempts: number[] = []
    const worker = startSlotWorker<Item>({
      boss,
      queue,
      slots: 2,
      log: silentLogger,
      pollIntervalMs: 200,
      run: async (job) => {
        attempts.push(job.retryCount)
        return attempts.length === 1
          ? { status: 'failed', output: { retryInMs: 5 } }
          : { status: 'completed' }
      },
    })
    await waitFor('the job completed', async () => (await boss.getJobById(queue, id!))?.state === 'completed')
    await worker.stop()
    expect(attempts).toEqual([0, 1])
  }, 60_000)

  it('stop aborts the signal of a job still running at its deadline and fails the job back', async () => {
    const queue = `stop-${randomUUID()}`
    await boss.createQueue(queue, { notify: true, retryLimit: 1, retryDelay: 0 })
    const id = await boss.send(queue, { n: 1 })
    let aborted = false
    let begun = false
    const worker = startSlotWorker<Item>({
      boss,
      queue,
      slots: 1,
      log: silentLogger,
      run: (_job, signal) =>
        new Promise((resolve) => {
          begun = true
          signal.addEventListener('abort', () => {
            aborted = true
            resolve({ status: 'completed' })
          })
        }),
    })
    await waitFor('the job running', async () => begun)
    await worker.stop(100)
    expect(aborted).toBe(true)
    // Not completed by the late result: failed back to pg-boss, which will run it again.
    expect((await boss.getJobById(queue, id!))?.state).toBe('retry')
  }, 60_000)
})

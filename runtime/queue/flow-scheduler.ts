import { fromKysely, type PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'
import type { Db } from '../store/database.ts'
import { claimDueSchedules, earliestDue, setNextDue } from '../store/flow-schedules-store.ts'
import { type FlowRunJob, flowRunKey } from './flow-run-job.ts'
import { type FlowScheduleSpec, nextOccurrence } from './flow-schedule.ts'
import { QUEUES } from './queues.ts'
import { reconcileFlowSchedules } from './sync-flow-schedule.ts'

/** Claims up to `batch` due schedule rows, enqueues their runs and moves them on, in one transaction. */
async function claimBatch(db: Db, boss: PgBoss, batch: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows, now } = await claimDueSchedules(trx, batch)
    if (rows.length === 0) return 0
    const jobs = rows.map((r) => {
      const data: FlowRunJob = { tenantId: r.tenantId, flowId: r.flowId, trigger: 'schedule', scope: 'live' }
      return { data, singletonKey: flowRunKey(data) }
    })
    // Stately queue: a flow whose previous run is still queued coalesces into it.
    await boss.insert(QUEUES.flowRun, jobs, { db: fromKysely(trx) })
    await setNextDue(
      trx,
      rows.map((r) => ({
        flowId: r.flowId,
        nextAt: nextOccurrence(r.spec as FlowScheduleSpec, r.flowId, now),
      })),
    )
    return rows.length
  })
}

/**
 * One tick: enqueues a flow-run job for every schedule row due now, batch by batch, and returns how
 * many rows it claimed. Safe to call from any number of processes at once (SKIP LOCKED).
 */
export async function tickDueFlows(db: Db, boss: PgBoss, batch = 500): Promise<number> {
  let total = 0
  for (;;) {
    const claimed = await claimBatch(db, boss, batch)
    total += claimed
    if (claimed < batch) return total
  }
}

/** Options for {@link startFlowScheduler}. */
export interface FlowSchedulerOptions {
  db: Db
  boss: PgBoss
  log: Logger
  /** Longest sleep between ticks (default 500 ms); a nearer due time wakes the ticker earlier. */
  tickMs?: number
  /**
   * Shortest sleep after a tick that found rows due (default 500 ms): occurrences that fall close
   * together are claimed together — one transaction and one wake-up of the flow-run workers for all
   * of them instead of one each — at the price of starting up to this much later.
   */
  gatherMs?: number
  /** Due rows claimed per transaction (default 500). */
  batch?: number
  /** How often schedule rows are reconciled with flows saved in a new version (default 30 s). */
  reconcileMs?: number
}

/** A running ticker. */
export interface FlowScheduler {
  /** Enqueues every flow that is due now; returns how many it enqueued. */
  tick(): Promise<number>
  stop(): Promise<void>
}

/**
 * Ferry's flow scheduler: each tick claims due rows of `flow_schedules` (SKIP LOCKED, so any number
 * of processes may tick at once and each occurrence is enqueued once), inserts their flow-run jobs in
 * the same transaction, and moves each row to its next occurrence after now. A tick with nothing due
 * is one indexed read; after a tick that claimed rows the ticker waits `gatherMs`, so a fleet of
 * polled flows costs one claim per tick, not one per occurrence. pg-boss's own cron is left to the
 * upkeep job.
 */
export async function startFlowScheduler(options: FlowSchedulerOptions): Promise<FlowScheduler> {
  const { db, boss, log } = options
  const tickMs = options.tickMs ?? 500
  const gatherMs = options.gatherMs ?? 500
  const batch = options.batch ?? 500
  const reconcileMs = options.reconcileMs ?? 30_000

  // Flows scheduled by an earlier Ferry through pg-boss (keyed by flow id) move to the table.
  for (const s of await boss.getSchedules(QUEUES.flowRun)) await boss.unschedule(QUEUES.flowRun, s.key)
  await reconcileFlowSchedules(db)

  const tick = () => tickDueFlows(db, boss, batch)

  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let wake: (() => void) | undefined
  let lastReconcile = Date.now()
  const loop = (async () => {
    while (!stopped) {
      let delay = tickMs
      try {
        if (Date.now() - lastReconcile >= reconcileMs) {
          lastReconcile = Date.now()
          await reconcileFlowSchedules(db)
        }
        const due = await earliestDue(db)
        if (due.nextAt && due.nextAt <= due.now) {
          // Rows another ticker holds are its to enqueue; what comes due meanwhile waits for the next tick.
          await tick()
          delay = gatherMs
        } else if (due.nextAt) delay = Math.max(0, Math.min(tickMs, due.nextAt.getTime() - due.now.getTime()))
      } catch (error) {
        log.error('flow scheduler tick failed', { error: String(error) })
      }
      if (stopped) break
      await new Promise<void>((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, delay)
      })
    }
  })()

  return {
    tick,
    async stop() {
      stopped = true
      clearTimeout(timer)
      wake?.()
      await loop
    },
  }
}

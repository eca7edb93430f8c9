import { fromKysely, type PgBoss } from 'pg-boss'
import { nextScheduledRun, scheduledPeriod } from '../reconcile/reconcile-period.ts'
import type { Db } from '../store/database.ts'
import { claimDueReconcileSchedules, setReconcileScheduleNext } from '../store/reconcile-schedules-store.ts'
import { createReconciliation } from '../store/reconciliations-store.ts'
import type { ReconcileJob } from './queue-reconcile-control.ts'
import { QUEUES } from './queues.ts'

/**
 * Starts the reconciliations whose daily schedule is due: each claimed schedule gets its reconciliation
 * row and job and moves to its next day in one transaction, so any number of processes may call this
 * (SKIP LOCKED) and a missed day collapses into one run. Returns how many it started.
 */
export async function startDueReconciliations(db: Db, boss: PgBoss, batch = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows, now } = await claimDueReconcileSchedules(trx, batch)
    for (const schedule of rows) {
      const row = await createReconciliation(trx, {
        tenantId: schedule.tenantId,
        ...(schedule.flowId ? { flowId: schedule.flowId } : { recipe: schedule.recipe! }),
        period: scheduledPeriod(schedule.period, now, schedule.timezone),
        trigger: 'schedule',
      })
      const job: ReconcileJob = { reconciliationId: row.id }
      await boss.send(QUEUES.reconcile, job, { db: fromKysely(trx) })
      await setReconcileScheduleNext(trx, schedule.id, nextScheduledRun(schedule.at, schedule.timezone, now))
    }
    return rows.length
  })
}

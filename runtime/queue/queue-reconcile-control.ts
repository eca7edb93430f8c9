import { fromKysely, type PgBoss } from 'pg-boss'
import type { ReconcileControl, ReconcileScope } from '../reconcile/reconcile-control.ts'
import { nextScheduledRun } from '../reconcile/reconcile-period.ts'
import type { Db } from '../store/database.ts'
import { putReconcileSchedule } from '../store/reconcile-schedules-store.ts'
import { createReconciliation } from '../store/reconciliations-store.ts'
import { QUEUES } from './queues.ts'

/** The job of the reconcile queue. */
export interface ReconcileJob {
  reconciliationId: string
}

const scopeColumns = (scope: ReconcileScope) =>
  'flowId' in scope ? { flowId: scope.flowId } : { recipe: scope.recipe }

/** ReconcileControl on pg-boss: the reconciliation row and its job are created in one transaction. */
export function queueReconcileControl(deps: { db: Db; boss: PgBoss }): ReconcileControl {
  return {
    request(tenantId, scope, period, trigger) {
      return deps.db.transaction().execute(async (trx) => {
        const row = await createReconciliation(trx, { tenantId, ...scopeColumns(scope), period, trigger })
        const job: ReconcileJob = { reconciliationId: row.id }
        await deps.boss.send(QUEUES.reconcile, job, { db: fromKysely(trx) })
        return row
      })
    },
    schedule(tenantId, scope, spec) {
      return putReconcileSchedule(
        deps.db,
        { tenantId, flowId: null, recipe: null, ...scopeColumns(scope), ...spec },
        (now) => nextScheduledRun(spec.at, spec.timezone, now),
      )
    },
  }
}

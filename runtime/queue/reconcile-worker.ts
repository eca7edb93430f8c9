import type { Job, PgBoss } from 'pg-boss'
import type { ReconcileJob } from './queue-reconcile-control.ts'
import { QUEUES } from './queues.ts'

/** Runs reconciliations from the queue, one at a time per process (each reads whole periods remotely). */
export async function startReconcileWorker(deps: {
  boss: PgBoss
  run: (reconciliationId: string) => Promise<void>
}): Promise<void> {
  await deps.boss.work<ReconcileJob>(
    QUEUES.reconcile,
    { batchSize: 1, pollingIntervalSeconds: 2 },
    async ([job]: Job<ReconcileJob>[]) => {
      await deps.run(job!.data.reconciliationId)
    },
  )
}

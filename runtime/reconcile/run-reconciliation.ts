import { redactSecrets } from '../../core/connector/connector-error.ts'
import { countByClass, type ReconcileClass } from '../../core/reconcile/reconcile-item.ts'
import { getFlow, listFlows } from '../store/flows-store.ts'
import {
  finishReconciliation,
  getReconciliationById,
  saveReconciliationFlow,
  startReconciliation,
} from '../store/reconciliations-store.ts'
import type { ReconcileDeps } from './reconcile-deps.ts'
import { isReconcilable, reconcileFlow } from './reconcile-flow.ts'

/**
 * Runs a queued reconciliation: each flow of its scope whose target can be reconciled (a recipe's
 * master-data flows have no documents to compare), one after the other, each flow's items stored in
 * one transaction, then the totals. A failure marks it failed with the reason (secrets redacted);
 * it is not retried on its own, since a reconciliation is cheap to ask for again.
 */
export async function runReconciliation(deps: ReconcileDeps, reconciliationId: string): Promise<void> {
  const row = await getReconciliationById(deps.db, reconciliationId)
  if (!row || row.state === 'done' || row.state === 'failed') return
  await startReconciliation(deps.db, row.id)
  try {
    const flows = row.flowId
      ? [await getFlow(deps.db, row.tenantId, row.flowId)].filter((f) => f !== undefined)
      : (await listFlows(deps.db, row.tenantId)).filter((f) => f.recipe === row.recipe)
    const totals = countByClass([])
    let seq = 0
    for (const flow of flows) {
      const program = await deps.programs(row.tenantId, flow.id, flow.currentVersion)
      if (!isReconcilable(program)) continue
      const { items, targetView } = await reconcileFlow(deps, program, {
        from: row.periodFrom,
        to: row.periodTo,
      })
      const counts = countByClass(items)
      for (const [cls, n] of Object.entries(counts)) totals[cls as ReconcileClass] += n
      seq = await saveReconciliationFlow(
        deps.db,
        row.id,
        { flowId: flow.id, flowName: flow.name, targetView, counts },
        items,
        seq,
      )
    }
    await finishReconciliation(deps.db, row.id, { counts: totals })
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error))
    deps.log.warn('reconciliation failed', { reconciliationId: row.id, error: message })
    await finishReconciliation(deps.db, row.id, { error: { message } })
  }
}

/**
 * What the API may ask of reconciliation besides reading the store: start one now, and keep a daily
 * schedule. Implemented on pg-boss by runtime/queue/queue-reconcile-control.ts. Tenant-scoped.
 */
import type { ReconcileScheduleRow, SchedulePeriod } from '../store/reconcile-schedules-store.ts'
import type { ReconciliationRow } from '../store/reconciliations-store.ts'
import type { Period } from './reconcile-flow.ts'

/** A flow or a whole recipe of a tenant. */
export type ReconcileScope = { flowId: string } | { recipe: string }

/** Starting reconciliations and scheduling them. */
export interface ReconcileControl {
  /** Queues a reconciliation of `scope` over `period` (checked by the caller) and returns it. */
  request(
    tenantId: string,
    scope: ReconcileScope,
    period: Period,
    trigger: string,
  ): Promise<ReconciliationRow>
  /** Creates or replaces the daily schedule of `scope`. */
  schedule(
    tenantId: string,
    scope: ReconcileScope,
    spec: { period: SchedulePeriod; at: string; timezone: string },
  ): Promise<ReconcileScheduleRow>
}

import type { GoLiveReport } from './go-live-report.ts'

/**
 * What the HTTP API and the CLI may ask of the running service besides reading the store: turning
 * flows on and off, triggering runs, replaying records, keeping subscriptions alive. Implemented on
 * pg-boss by runtime/queue/queue-flow-control.ts. Every method is tenant-scoped and throws
 * {@link NotFoundError} for an id the tenant does not own.
 */
export interface FlowControl {
  /** Registers the flow's triggers (schedules, webhook routing, subscriptions) and marks it enabled. */
  enable(tenantId: string, flowId: string): Promise<void>
  /** Removes the flow's triggers; records already queued still finish. */
  disable(tenantId: string, flowId: string): Promise<void>
  /** Queues a run of the flow's current version now. */
  runNow(tenantId: string, flowId: string): Promise<{ queued: boolean }>
  /** Queues a backfill over [from, to) beside the live schedule, with its own checkpoint. */
  backfill(
    tenantId: string,
    flowId: string,
    window: { from: string; to: string },
  ): Promise<{ scope: string; queued: boolean }>
  /**
   * Moves records back to `queued` and delivers them again: with the flow version they were read
   * with (`pinned`) or the flow's current version (`latest`). Records in flight are left alone.
   */
  replay(
    tenantId: string,
    recordIds: readonly string[],
    options: { version: 'pinned' | 'latest' },
  ): Promise<{ queued: number; skipped: number }>
  /** Puts a flow in shadow: records read from now on are processed up to "would write" (go-live). */
  shadow(tenantId: string, flowId: string): Promise<void>
  /**
   * Switches a shadow flow live: what is already in the target is linked, the rest written once
   * (see runtime/queue/go-live.ts). `dryRun` only reports.
   */
  goLive(tenantId: string, flowId: string, options: { dryRun: boolean }): Promise<GoLiveReport>
  /** Renews one subscription at the remote system now. */
  renewSubscription(tenantId: string, subscriptionId: string): Promise<void>
}

/** An id that does not exist for this tenant (the API answers 404, never 403, to avoid leaking ids). */
export class NotFoundError extends Error {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`)
  }
}

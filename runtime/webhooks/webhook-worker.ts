import type { Job, PgBoss } from 'pg-boss'
import type { WebhookEvent } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { completeOutcome } from '../engine/complete-outcome.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import type { FlowProgram } from '../engine/flow-program.ts'
import { runFlow } from '../engine/run-flow.ts'
import type { FlowRunJob } from '../queue/flow-run-job.ts'
import { QUEUES } from '../queue/queues.ts'
import { requestFlowRun } from '../queue/request-flow-run.ts'
import { enabledFlowVersions } from '../store/flows-store.ts'
import { getInboxDelivery, markInboxProcessed } from '../store/webhook-inbox-store.ts'

/** Enabled flows that read `stream` from `connectionId` and want webhook triggers. */
export async function flowsListening(deps: EngineDeps, connectionId: string, stream: string) {
  const rows = await enabledFlowVersions(deps.db)
  return rows.filter((r) => {
    const m = r.manifest as unknown as FlowManifest
    return (
      m.trigger?.webhook === true &&
      m.source.stream === stream &&
      r.bindings[m.source.connection] === connectionId
    )
  })
}

/**
 * Turns stored webhook deliveries into work: flow runs for changes, completions for outcomes, and
 * for pushed records a run of each listening flow over those records, here (a retried job inserts the
 * same record ids again, which the store ignores).
 */
export async function startWebhookWorker(
  deps: EngineDeps & { boss: PgBoss },
  programs: (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>,
): Promise<void> {
  await deps.boss.work<{ inboxId: string }>(
    QUEUES.webhook,
    // With NOTIFY on, pg-boss's backstop poll defaults to 30 s: a missed wake-up would hold a webhook
    // that long. Keep the backstop at the base interval; lanes are cheap (each job is a few queries).
    { batchSize: 1, localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
    async ([job]: Job<{ inboxId: string }>[]) => {
      const row = await getInboxDelivery(deps.db, job!.data.inboxId)
      if (!row || row.state === 'processed') return
      for (const event of row.events as WebhookEvent[]) {
        if (event.type === 'outcome') {
          await completeOutcome(deps, row.tenantId, event.outcome, 'callback')
          continue
        }
        for (const flow of await flowsListening(deps, row.connectionId, event.stream)) {
          if (event.type === 'records') {
            const program = await programs(flow.tenantId, flow.id, flow.currentVersion!)
            await runFlow(deps, program, { trigger: 'webhook', records: event.records })
            continue
          }
          const run: FlowRunJob = {
            tenantId: flow.tenantId,
            flowId: flow.id,
            trigger: 'webhook',
            scope: 'live',
            ...(event.ids ? { ids: event.ids } : {}),
          }
          await requestFlowRun(deps.boss, run)
        }
      }
      await markInboxProcessed(deps.db, row.id)
    },
  )
}

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
import { getInboxDeliveries, markInboxBatchProcessed } from '../store/webhook-inbox-store.ts'

/**
 * Enabled flows that read `stream` from `connectionId` and want webhook triggers. Only the flows of
 * the connection's own tenant are loaded: with thousands of tenants, every delivery (and every mapped
 * reply at the ingress) must not read every enabled flow's manifest.
 */
export async function flowsListening(deps: EngineDeps, connectionId: string, stream: string) {
  const rows = await enabledFlowVersions(deps.db, { connectionTenantOf: connectionId })
  return rows.filter((r) => {
    const m = r.manifest as unknown as FlowManifest
    return (
      m.trigger?.webhook === true &&
      m.source.stream === stream &&
      r.bindings[m.source.connection] === connectionId
    )
  })
}

type Programs = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>
type InboxRow = { id: string; tenantId: string; connectionId: string; events: unknown }

/** Deliveries fetched at once: their pushed records become one run (one page) per listening flow. */
const DELIVERIES_PER_FETCH = 25

/**
 * Processes stored deliveries: outcomes are completed, named changes queue flow runs, and the records
 * the deliveries carried are taken per listening flow as ONE run over all of them, in inbox order —
 * so a burst of pushed deliveries costs one run row and one page transaction per flow, not per
 * delivery. The rows are then marked processed together.
 */
async function processDeliveries(deps: EngineDeps & { boss: PgBoss }, programs: Programs, rows: InboxRow[]) {
  const pushed = new Map<
    string,
    {
      flow: { id: string; tenantId: string; currentVersion: number | null }
      records: Record<string, unknown>[]
    }
  >()
  for (const row of rows) {
    for (const event of row.events as WebhookEvent[]) {
      if (event.type === 'outcome') {
        await completeOutcome(deps, row.tenantId, event.outcome, 'callback')
        continue
      }
      for (const flow of await flowsListening(deps, row.connectionId, event.stream)) {
        if (event.type === 'records') {
          const entry = pushed.get(flow.id) ?? { flow, records: [] }
          entry.records.push(...event.records)
          pushed.set(flow.id, entry)
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
  }
  for (const { flow, records } of pushed.values()) {
    const program = await programs(flow.tenantId, flow.id, flow.currentVersion!)
    await runFlow(deps, program, { trigger: 'webhook', records })
  }
  await markInboxBatchProcessed(
    deps.db,
    rows.map((r) => r.id),
  )
}

/**
 * Turns stored webhook deliveries into work: flow runs for changes, completions for outcomes, and
 * for pushed records a run of each listening flow over those records, here (a retried job inserts the
 * same record ids again, which the store ignores). Up to {@link DELIVERIES_PER_FETCH} deliveries are
 * taken together; a bad delivery among them fails only its own job.
 */
export async function startWebhookWorker(
  deps: EngineDeps & { boss: PgBoss },
  programs: Programs,
): Promise<void> {
  await deps.boss.work<{ inboxId: string }>(
    QUEUES.webhook,
    // With NOTIFY on, pg-boss's backstop poll defaults to 30 s: a missed wake-up would hold a webhook
    // that long. Keep the backstop at the base interval; lanes are cheap (each fetch is a few queries).
    {
      batchSize: DELIVERIES_PER_FETCH,
      localConcurrency: 4,
      pollingIntervalSeconds: 1,
      notifyPollingIntervalSeconds: 1,
      perJobResults: true,
    },
    async (jobs: Job<{ inboxId: string }>[]) => {
      const stored = await getInboxDeliveries(
        deps.db,
        jobs.map((j) => j.data.inboxId),
      )
      const byId = new Map(stored.filter((r) => r.state !== 'processed').map((r) => [r.id, r]))
      const rows = jobs.flatMap((j) => (byId.has(j.data.inboxId) ? [byId.get(j.data.inboxId)!] : []))
      const failed = new Map<string, string>()
      // A batch that fails is split in halves until the bad delivery stands alone: the others are
      // still processed together, and only its job fails (pg-boss retries it; it stays unprocessed).
      const attempt = async (batch: typeof rows): Promise<void> => {
        if (batch.length === 0) return
        try {
          await processDeliveries(deps, programs, batch)
        } catch (error) {
          if (batch.length === 1) {
            failed.set(batch[0]!.id, String(error))
            return
          }
          const half = Math.ceil(batch.length / 2)
          await attempt(batch.slice(0, half))
          await attempt(batch.slice(half))
        }
      }
      await attempt(rows)
      return jobs.map((j) =>
        failed.has(j.data.inboxId)
          ? { id: j.id, status: 'failed' as const, output: { error: failed.get(j.data.inboxId) } }
          : { id: j.id, status: 'completed' as const },
      )
    },
  )
}

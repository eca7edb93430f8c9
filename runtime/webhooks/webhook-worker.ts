import type { Job, PgBoss } from 'pg-boss'
import type { WebhookEvent } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
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

type ListeningFlow = { id: string; tenantId: string; currentVersion: number | null }

/** What the fetched deliveries ask of one listening flow: records they carried and records they named. */
interface FlowWork {
  flow: ListeningFlow
  records: Record<string, unknown>[]
  ids: string[]
}

/**
 * Processes stored deliveries: outcomes are completed, and per listening flow the records the
 * deliveries carried and the records they named are taken as ONE run each, in inbox order — so a
 * burst of deliveries costs one run row and one page transaction per flow, not per delivery. Named
 * records are read here, not through a queued flow run: that hop (enqueue, NOTIFY, fetch, complete)
 * was the largest part of a notified invoice's latency. Only a change without ids (re-read from the
 * checkpoint) still queues a flow run, coalesced with one already queued. The rows are then marked
 * processed together.
 */
async function processDeliveries(
  deps: EngineDeps & { boss: PgBoss },
  programs: Programs,
  rows: InboxRow[],
  signal?: AbortSignal,
) {
  const work = new Map<string, FlowWork>()
  const workOf = (flow: ListeningFlow) => {
    const entry = work.get(flow.id) ?? { flow, records: [], ids: [] }
    work.set(flow.id, entry)
    return entry
  }
  for (const row of rows) {
    for (const event of row.events as WebhookEvent[]) {
      if (event.type === 'outcome') {
        await completeOutcome(deps, row.tenantId, event.outcome, 'callback')
        continue
      }
      for (const flow of await flowsListening(deps, row.connectionId, event.stream)) {
        if (event.type === 'records') workOf(flow).records.push(...event.records)
        else if (event.ids) workOf(flow).ids.push(...event.ids)
        else {
          const run: FlowRunJob = {
            tenantId: flow.tenantId,
            flowId: flow.id,
            trigger: 'webhook',
            scope: 'live',
          }
          await requestFlowRun(deps.boss, run)
        }
      }
    }
  }
  for (const { flow, records, ids } of work.values()) {
    const program = await programs(flow.tenantId, flow.id, flow.currentVersion!)
    if (records.length > 0) await runFlow(deps, program, { trigger: 'webhook', records, signal })
    if (ids.length > 0) await runFlow(deps, program, { trigger: 'webhook', ids: [...new Set(ids)], signal })
  }
  await markInboxBatchProcessed(
    deps.db,
    rows.map((r) => r.id),
  )
}

/**
 * Turns stored webhook deliveries into work: completions for outcomes, and for pushed or named
 * records a run of each listening flow over those records, here (a retried job stores the same record
 * ids again, which the store ignores); a change without ids queues a flow run. Up to
 * {@link DELIVERIES_PER_FETCH} deliveries are taken together; a bad delivery among them fails only its
 * own job, and a remote read that fails (a ConnectorError: not any one delivery's fault) fails them
 * all at once, for pg-boss to retry, instead of being halved into more reads of a system that is down.
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
      const signal = AbortSignal.any(jobs.map((j) => j.signal))
      // A batch that fails is split in halves until the bad delivery stands alone: the others are
      // still processed together, and only its job fails (pg-boss retries it; it stays unprocessed).
      const attempt = async (batch: typeof rows): Promise<void> => {
        if (batch.length === 0) return
        try {
          await processDeliveries(deps, programs, batch, signal)
        } catch (error) {
          if (batch.length === 1 || isConnectorError(error)) {
            for (const row of batch) failed.set(row.id, String(error))
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

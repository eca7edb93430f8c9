import type { Job, PgBoss } from 'pg-boss'
import type { EngineDeps } from '../engine/engine-deps.ts'
import type { FlowProgram } from '../engine/flow-program.ts'
import { runFlow } from '../engine/run-flow.ts'
import { getFlow } from '../store/flows-store.ts'
import type { FlowRunJob } from './flow-run-job.ts'
import { QUEUES } from './queues.ts'

/**
 * Runs flows from the queue. A scheduled or webhook run of a disabled flow does nothing; API runs and
 * backfills run regardless. Always the flow's current version: records already read keep theirs.
 */
export async function startFlowRunWorker(
  deps: EngineDeps & { boss: PgBoss },
  programs: (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>,
): Promise<void> {
  await deps.boss.work<FlowRunJob>(
    QUEUES.flowRun,
    // Runs wait on remote reads, so four lanes; each holds at most one of the engine pool's
    // connections at a time. With NOTIFY on, the idle fetch would back off to 30 s by default: a
    // job inserted without a NOTIFY (coalesced, retried) must not wait that long.
    { batchSize: 1, localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
    async ([job]: Job<FlowRunJob>[]) => {
      const data = job!.data
      const flow = await getFlow(deps.db, data.tenantId, data.flowId)
      if (!flow) return { skipped: 'flow deleted' }
      if (!flow.enabled && (data.trigger === 'schedule' || data.trigger === 'webhook'))
        return { skipped: 'flow disabled' }
      const program = await programs(data.tenantId, data.flowId, flow.currentVersion)
      return runFlow(deps, program, {
        trigger: data.trigger,
        scope: data.scope,
        window: data.window,
        ids: data.ids,
        signal: job!.signal,
      })
    },
  )
}

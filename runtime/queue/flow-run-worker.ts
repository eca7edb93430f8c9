import type { Job, PgBoss } from 'pg-boss'
import type { EngineDeps } from '../engine/engine-deps.ts'
import type { FlowProgram } from '../engine/flow-program.ts'
import { runFlow } from '../engine/run-flow.ts'
import { getFlow } from '../store/flows-store.ts'
import type { FlowRunJob } from './flow-run-job.ts'
import { QUEUES } from './queues.ts'

/** Flow runs one process runs at once: runs wait on remote reads. */
const LANES = 4

/**
 * Runs flows from the queue. A scheduled or webhook run of a disabled flow does nothing; API runs and
 * backfills run regardless. Always the flow's current version: records already read keep theirs.
 */
export async function startFlowRunWorker(
  deps: EngineDeps & { boss: PgBoss },
  programs: (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>,
): Promise<void> {
  const run = async (data: FlowRunJob, signal: AbortSignal) => {
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
      signal,
    })
  }
  // One worker per lane, each holding at most one of the engine pool's connections at a time. A lane
  // that ran a job fetches again at once (a tick enqueues several due flows with one NOTIFY, which
  // wakes each lane once), and otherwise polls every second: with NOTIFY on, the idle fetch would back
  // off to 30 s by default, and a job inserted without a NOTIFY (coalesced, retried) must not wait that long.
  for (let lane = 0; lane < LANES; lane++) {
    let workerId: string | undefined
    workerId = await deps.boss.work<FlowRunJob>(
      QUEUES.flowRun,
      { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
      async ([job]: Job<FlowRunJob>[]) => {
        try {
          return await run(job!.data, job!.signal)
        } finally {
          if (workerId) deps.boss.notifyWorker(workerId)
        }
      },
    )
  }
}

import type { PgBoss } from 'pg-boss'
import { type FlowRunJob, flowRunKey } from './flow-run-job.ts'
import { QUEUES } from './queues.ts'

/** Queues a run of a flow, coalesced with one of the same flow and scope already queued. True when queued. */
export async function requestFlowRun(boss: PgBoss, job: FlowRunJob): Promise<boolean> {
  return (await boss.send(QUEUES.flowRun, job, { singletonKey: flowRunKey(job) })) !== null
}

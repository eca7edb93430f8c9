/** Job data of a flow run. */
export interface FlowRunJob {
  tenantId: string
  flowId: string
  trigger: 'schedule' | 'webhook' | 'api' | 'backfill'
  /** `live`, or `backfill:<id>` for a backfill's own checkpoint. */
  scope: string
  window?: { from: string; to: string }
  /** Records a webhook named. */
  ids?: string[]
}

/** The pg-boss singleton key that coalesces runs of one flow and scope (stately queue). */
export function flowRunKey(job: Pick<FlowRunJob, 'flowId' | 'scope' | 'ids'>): string {
  return job.ids ? `${job.flowId}:ids:${job.ids.join(',').slice(0, 200)}` : `${job.flowId}:${job.scope}`
}

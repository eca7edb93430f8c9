import { getFlow } from '../store/flows-store.ts'
import { countRunRecords, listRuns } from '../store/runs-queries.ts'
import { getRun } from '../store/runs-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { notFound } from './problem.ts'
import { runProgress } from './run-progress.ts'

/** Tenant routes: runs and their progress. */
export function runsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/flows/:flowId/runs',
      operationId: 'listRuns',
      summary: 'List a flow’s runs, newest first',
      tag: 'runs',
      access: 'tenant',
      query: {
        limit: {
          description: 'At most this many (default 50)',
          schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        },
      },
      responses: { 200: { description: 'Runs', schema: 'RunList' } },
      handle: async (c, { tenantId, params, query }) => {
        const flow = await getFlow(deps.db, tenantId, params.flowId!)
        if (!flow) throw notFound('flow', params.flowId!)
        const runs = await listRuns(deps.db, tenantId, flow.id, Number(query.limit ?? 50))
        return c.json({ items: runs.map(({ tenantId: _, ...run }) => run) })
      },
    },
    {
      method: 'get',
      path: '/v1/runs/:runId',
      operationId: 'getRun',
      summary: 'Get a run with its progress: records per state, rate and ETA',
      tag: 'runs',
      access: 'tenant',
      responses: { 200: { description: 'The run', schema: 'Run' } },
      handle: async (c, { tenantId, params }) => {
        const run = await getRun(deps.db, tenantId, params.runId!)
        if (!run) throw notFound('run', params.runId!)
        const counts = await countRunRecords(deps.db, run.id)
        const { tenantId: _, ...rest } = run
        return c.json({ ...rest, progress: runProgress(counts, run.startedAt, new Date(), run.finishedAt) })
      },
    },
  ]
}

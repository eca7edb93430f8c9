import { ShadowInFlightError } from '../engine/go-live-report.ts'
import { getFlow, listFlows } from '../store/flows-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute, QueryParam } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

const dryRunQuery: Record<string, QueryParam> = {
  dryRun: {
    description: 'Only report what going live would link and write (reads the target, changes nothing)',
    schema: { type: 'boolean', default: false },
  },
}

/**
 * Tenant routes for going live: a flow or a whole recipe runs in shadow during the sample period
 * (reads, maps and checks against the target, writes nothing), then goes live — documents already in
 * the target are linked instead of written again, and the report says which.
 */
export function goLiveRoutes(deps: ApiDeps): ApiRoute[] {
  const route = (r: Omit<ApiRoute, 'access'>): ApiRoute => ({ ...r, access: 'tenant' })
  const flowOf = async (tenantId: string, id: string) => {
    const flow = await getFlow(deps.db, tenantId, id)
    if (!flow) throw notFound('flow', id)
    return flow
  }
  const recipeFlows = async (tenantId: string, recipe: string) => {
    const flows = (await listFlows(deps.db, tenantId)).filter((f) => f.recipe === recipe)
    if (flows.length === 0) throw notFound('enabled recipe', recipe)
    return flows
  }
  const goLive = async (tenantId: string, flowIds: string[], dryRun: boolean) => {
    // Every flow is checked before any goes live, so a recipe never goes live half-way.
    const plans = await Promise.all(
      flowIds.map((id) => deps.flowControl.goLive(tenantId, id, { dryRun: true })),
    )
    const busy = plans.filter((p) => p.inFlight > 0)
    if (busy.length > 0)
      throw new ApiProblem(
        409,
        'shadow-in-flight',
        'shadow records are still being processed: go live when they have settled',
        busy.map((p) => ({ detail: `flow ${p.flowName}: ${p.inFlight} record(s) in flight` })),
      )
    if (dryRun) return plans
    const reports = []
    for (const id of flowIds) {
      try {
        reports.push(await deps.flowControl.goLive(tenantId, id, { dryRun: false }))
      } catch (error) {
        if (error instanceof ShadowInFlightError) throw new ApiProblem(409, 'shadow-in-flight', error.message)
        throw error
      }
    }
    return reports
  }
  return [
    route({
      method: 'post',
      path: '/v1/flows/:flowId/shadow',
      operationId: 'shadowFlow',
      summary: 'Run a flow in shadow: read, map and check against the target, write nothing',
      tag: 'flows',
      responses: { 200: { description: 'The flow’s mode', schema: 'FlowMode' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await flowOf(tenantId, params.flowId!)
        await deps.flowControl.shadow(tenantId, flow.id)
        return c.json({ id: flow.id, mode: 'shadow' })
      },
    }),
    route({
      method: 'post',
      path: '/v1/flows/:flowId/go-live',
      operationId: 'goLiveFlow',
      summary: 'Switch a shadow flow live: link what is already in the target, write the rest once',
      tag: 'flows',
      query: dryRunQuery,
      responses: {
        200: { description: 'What was (or would be) linked and written', schema: 'GoLiveReport' },
        409: { description: 'Shadow records are still being processed', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params, query }) => {
        const flow = await flowOf(tenantId, params.flowId!)
        const [report] = await goLive(tenantId, [flow.id], query.dryRun === true)
        return c.json(report)
      },
    }),
    route({
      method: 'post',
      path: '/v1/recipes/:recipe/shadow',
      operationId: 'shadowRecipe',
      summary: 'Run every flow of an enabled recipe in shadow',
      tag: 'recipes',
      params: { recipe: 'The recipe name' },
      responses: { 200: { description: 'Each flow’s mode', schema: 'FlowModes' } },
      handle: async (c, { tenantId, params }) => {
        const flows = await recipeFlows(tenantId, params.recipe!)
        for (const f of flows) await deps.flowControl.shadow(tenantId, f.id)
        return c.json({ items: flows.map((f) => ({ id: f.id, mode: 'shadow' })) })
      },
    }),
    route({
      method: 'post',
      path: '/v1/recipes/:recipe/go-live',
      operationId: 'goLiveRecipe',
      summary: 'Switch every shadow flow of a recipe live, linking what was keyed by hand',
      tag: 'recipes',
      params: { recipe: 'The recipe name' },
      query: dryRunQuery,
      responses: {
        200: { description: 'Per flow, what was (or would be) linked and written', schema: 'GoLiveReports' },
        409: { description: 'Shadow records are still being processed', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params, query }) => {
        const flows = (await recipeFlows(tenantId, params.recipe!)).filter((f) => f.mode === 'shadow')
        const items = await goLive(
          tenantId,
          flows.map((f) => f.id),
          query.dryRun === true,
        )
        return c.json({ items })
      },
    }),
  ]
}

import { formatDiagnostic, hasErrors } from '../../core/manifest/diagnostic.ts'
import { toStoredManifest } from '../engine/stored-manifest.ts'
import { getFlowSchedule } from '../store/flow-schedules-store.ts'
import {
  flowLastPolledAt,
  getFlow,
  getFlowVersion,
  listFlows,
  listFlowVersions,
  saveFlowVersion,
} from '../store/flows-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { checkFlowBindings } from './flow-bindings.ts'
import { inputProblems } from './input-problems.ts'
import { ApiProblem, notFound } from './problem.ts'
import { parseFlowOffLoop } from './validate-off-loop.ts'

const flowPublic = (f: {
  id: string
  name: string
  recipe: string | null
  enabled: boolean
  mode: 'live' | 'shadow'
  currentVersion: number
}) => ({
  id: f.id,
  name: f.name,
  recipe: f.recipe,
  enabled: f.enabled,
  mode: f.mode,
  currentVersion: f.currentVersion,
})

/** Tenant routes: flows, their immutable versions, and the controls (enable, run, backfill). */
export function flowsRoutes(deps: ApiDeps): ApiRoute[] {
  const owned = async (tenantId: string, id: string) => {
    const flow = await getFlow(deps.db, tenantId, id)
    if (!flow) throw notFound('flow', id)
    return flow
  }
  const route = (r: Omit<ApiRoute, 'tag' | 'access'>): ApiRoute => ({ ...r, tag: 'flows', access: 'tenant' })
  return [
    route({
      method: 'get',
      path: '/v1/flows',
      operationId: 'listFlows',
      summary: 'List flows',
      responses: { 200: { description: 'Flows by name', schema: 'FlowList' } },
      handle: async (c, { tenantId }) =>
        c.json({ items: (await listFlows(deps.db, tenantId)).map(flowPublic) }),
    }),
    route({
      method: 'post',
      path: '/v1/flows',
      operationId: 'saveFlow',
      summary: 'Create a flow, or a new version of it, from a manifest and connection bindings',
      body: 'FlowCreate',
      responses: {
        201: { description: 'A new version was stored', schema: 'FlowSaved' },
        200: { description: 'Unchanged manifest and bindings: the current version', schema: 'FlowSaved' },
      },
      handle: async (c, { tenantId, body }) => {
        const input = body as { file?: string; text: string; bindings: Record<string, string> }
        const file = input.file ?? 'flow.yaml'
        const parsed = await parseFlowOffLoop(deps, file, input.text)
        if (!parsed.manifest || hasErrors(parsed.diagnostics))
          throw new ApiProblem(
            422,
            'invalid-manifest',
            `the manifest has ${parsed.diagnostics.filter((d) => d.severity === 'error').length} error(s)`,
            parsed.diagnostics.map((d) => ({ pointer: '/text', detail: formatDiagnostic(d) })),
            {},
            { diagnostics: parsed.diagnostics },
          )
        // A YAML or JSON escape can put what the body could not hold (NUL, a lone surrogate) in a value.
        const unstorable = inputProblems(parsed.manifest)
        if (unstorable.length > 0)
          throw new ApiProblem(
            422,
            'invalid-manifest',
            'the manifest holds values Ferry cannot store',
            unstorable.map((p) => ({ pointer: '/text', detail: `${p.pointer}: ${p.detail}` })),
          )
        const problems = await checkFlowBindings(
          deps.db,
          tenantId,
          parsed.manifest.connections,
          input.bindings,
        )
        if (problems.length > 0)
          throw new ApiProblem(
            422,
            'invalid-bindings',
            'the connection bindings do not fit the manifest',
            problems,
          )
        const saved = await saveFlowVersion(deps.db, {
          tenantId,
          name: parsed.manifest.name,
          manifest: toStoredManifest(parsed.manifest) as unknown as Record<string, unknown>,
          sourceFile: file,
          bindings: input.bindings,
        })
        return c.json(
          { flow: flowPublic(saved.flow), version: saved.version, created: saved.created },
          saved.created ? 201 : 200,
        )
      },
    }),
    route({
      method: 'get',
      path: '/v1/flows/:flowId',
      operationId: 'getFlow',
      summary: 'Get a flow with its current version’s manifest and bindings',
      responses: { 200: { description: 'The flow', schema: 'Flow' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        const version = await getFlowVersion(deps.db, flow.id, flow.currentVersion)
        const schedule = await getFlowSchedule(deps.db, flow.id)
        return c.json({
          ...flowPublic(flow),
          manifest: version?.manifest,
          bindings: version?.bindings,
          lastPolledAt: (await flowLastPolledAt(deps.db, flow.id))?.toISOString() ?? null,
          nextRunAt: schedule?.nextAt.toISOString() ?? null,
        })
      },
    }),
    route({
      method: 'get',
      path: '/v1/flows/:flowId/versions',
      operationId: 'listFlowVersions',
      summary: 'List a flow’s versions, newest first',
      responses: { 200: { description: 'Versions', schema: 'FlowVersionList' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        return c.json({ items: await listFlowVersions(deps.db, flow.id) })
      },
    }),
    route({
      method: 'get',
      path: '/v1/flows/:flowId/versions/:version',
      operationId: 'getFlowVersion',
      summary: 'Get one version of a flow with its manifest',
      params: { version: 'The version number' },
      // Versions are PostgreSQL integers: a larger number cannot name one.
      paramSchemas: { version: { type: 'integer', minimum: 1, maximum: 2147483647 } },
      responses: { 200: { description: 'The version', schema: 'FlowVersion' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        const version = await getFlowVersion(deps.db, flow.id, Number(params.version))
        if (!version) throw notFound(`flow ${flow.id} version`, params.version!)
        return c.json(version)
      },
    }),
    route({
      method: 'post',
      path: '/v1/flows/:flowId/enable',
      operationId: 'enableFlow',
      summary: 'Enable a flow: register its schedule, webhook routing and subscriptions',
      responses: { 200: { description: 'The flow’s new state', schema: 'FlowState' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        await deps.flowControl.enable(tenantId, flow.id)
        return c.json({ id: flow.id, enabled: true })
      },
    }),
    route({
      method: 'post',
      path: '/v1/flows/:flowId/disable',
      operationId: 'disableFlow',
      summary: 'Disable a flow (records already queued still finish)',
      responses: { 200: { description: 'The flow’s new state', schema: 'FlowState' } },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        await deps.flowControl.disable(tenantId, flow.id)
        return c.json({ id: flow.id, enabled: false })
      },
    }),
    route({
      method: 'post',
      path: '/v1/flows/:flowId/run',
      operationId: 'runFlow',
      summary: 'Queue a run of the flow’s current version now',
      responses: {
        202: { description: 'Queued (false when a run of it is already queued)', schema: 'Queued' },
      },
      handle: async (c, { tenantId, params }) => {
        const flow = await owned(tenantId, params.flowId!)
        return c.json(await deps.flowControl.runNow(tenantId, flow.id), 202)
      },
    }),
    route({
      method: 'post',
      path: '/v1/flows/:flowId/backfill',
      operationId: 'backfillFlow',
      summary: 'Queue a backfill over [from, to) beside the live schedule',
      body: 'Backfill',
      responses: { 202: { description: 'Queued, with the backfill’s checkpoint scope', schema: 'Queued' } },
      handle: async (c, { tenantId, params, body }) => {
        const window = body as { from: string; to: string }
        if (Date.parse(window.from) >= Date.parse(window.to))
          throw new ApiProblem(422, 'invalid-body', 'the backfill window is empty', [
            { pointer: '/to', detail: 'must be after "from"' },
          ])
        const flow = await owned(tenantId, params.flowId!)
        return c.json(await deps.flowControl.backfill(tenantId, flow.id, window), 202)
      },
    }),
  ]
}

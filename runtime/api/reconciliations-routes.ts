import { RECONCILE_CLASSES } from '../../core/reconcile/reconcile-item.ts'
import type { ReconcileScope } from '../reconcile/reconcile-control.ts'
import { isDay, isTimeZone, periodProblems } from '../reconcile/reconcile-period.ts'
import { reconciliationCsv } from '../reconcile/reconciliation-csv.ts'
import { getFlow, listFlows } from '../store/flows-store.ts'
import {
  deleteReconcileSchedule,
  listReconcileSchedules,
  type SchedulePeriod,
} from '../store/reconcile-schedules-store.ts'
import {
  getReconciliation,
  listReconciliationFlows,
  listReconciliationItems,
  listReconciliations,
  type ReconciliationItemRow,
} from '../store/reconciliations-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

const CLASS_LIST = new RegExp(`^(${RECONCILE_CLASSES.join('|')})(,(${RECONCILE_CLASSES.join('|')}))*$`)
const CSV_PAGE = 5000

/** Tenant routes: reconciliations of a period (start, read, CSV) and their daily schedules. */
export function reconciliationsRoutes(deps: ApiDeps): ApiRoute[] {
  const route = (r: Omit<ApiRoute, 'tag' | 'access'>): ApiRoute => ({
    ...r,
    tag: 'reconciliations',
    access: 'tenant',
  })
  const control = () => {
    if (!deps.reconcile)
      throw new ApiProblem(501, 'not-implemented', 'this service was started without reconciliation workers')
    return deps.reconcile
  }
  /** The flow or recipe a body names, checked against the tenant (422 with a pointer when unknown). */
  const scopeOf = async (
    tenantId: string,
    body: { flow?: string; recipe?: string },
  ): Promise<ReconcileScope> => {
    if (body.flow) {
      if (!(await getFlow(deps.db, tenantId, body.flow)))
        throw new ApiProblem(422, 'unknown-flow', `flow ${body.flow} not found`, [
          { pointer: '/flow', detail: 'no flow of this tenant has this id' },
        ])
      return { flowId: body.flow }
    }
    const recipe = body.recipe!
    if (!(await listFlows(deps.db, tenantId)).some((f) => f.recipe === recipe))
      throw new ApiProblem(422, 'unknown-recipe', `no flow of recipe "${recipe}" is installed`, [
        { pointer: '/recipe', detail: 'enable the recipe first, or name one of its flows' },
      ])
    return { recipe }
  }
  const owned = async (tenantId: string, id: string) => {
    const row = await getReconciliation(deps.db, tenantId, id)
    if (!row) throw notFound('reconciliation', id)
    return row
  }
  const publicRow = <T extends { tenantId: string }>({ tenantId: _, ...row }: T) => row

  return [
    route({
      method: 'post',
      path: '/v1/reconciliations',
      operationId: 'createReconciliation',
      summary: 'Reconcile a flow or a recipe over a period: source, Ferry and target, document by document',
      body: 'ReconciliationCreate',
      responses: {
        202: { description: 'Queued; follow it with GET /v1/reconciliations/{id}', schema: 'Reconciliation' },
        501: { description: 'This service runs no reconciliation workers', schema: 'Problem' },
      },
      handle: async (c, { tenantId, body }) => {
        const input = body as { flow?: string; recipe?: string; from: string; to: string }
        const problems = periodProblems(input)
        if (problems.length > 0)
          throw new ApiProblem(
            422,
            'invalid-period',
            'the period is not valid',
            problems.map((p) => ({ pointer: `/${p.field}`, detail: p.detail })),
          )
        const scope = await scopeOf(tenantId, input)
        const row = await control().request(tenantId, scope, { from: input.from, to: input.to }, 'api')
        return c.json({ ...publicRow(row), flows: [] }, 202)
      },
    }),
    route({
      method: 'get',
      path: '/v1/reconciliations',
      operationId: 'listReconciliations',
      summary: 'List reconciliations, newest first',
      query: {
        flow: {
          description: 'Only reconciliations of this flow',
          schema: { type: 'string', format: 'uuid' },
        },
        recipe: {
          description: 'Only reconciliations of this recipe',
          schema: { type: 'string', minLength: 1 },
        },
        limit: {
          description: 'At most this many (default 20)',
          schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
        },
      },
      responses: { 200: { description: 'Reconciliations', schema: 'ReconciliationList' } },
      handle: async (c, { tenantId, query }) => {
        const rows = await listReconciliations(deps.db, tenantId, {
          flowId: query.flow as string | undefined,
          recipe: query.recipe as string | undefined,
          limit: Number(query.limit ?? 20),
        })
        return c.json({ items: rows.map(publicRow) })
      },
    }),
    route({
      method: 'get',
      path: '/v1/reconciliations/:reconciliationId',
      operationId: 'getReconciliation',
      summary: 'Get a reconciliation: its state, and documents per class for each flow',
      responses: { 200: { description: 'The reconciliation', schema: 'Reconciliation' } },
      handle: async (c, { tenantId, params }) => {
        const row = await owned(tenantId, params.reconciliationId!)
        return c.json({ ...publicRow(row), flows: await listReconciliationFlows(deps.db, row.id) })
      },
    }),
    route({
      method: 'get',
      path: '/v1/reconciliations/:reconciliationId/items',
      operationId: 'listReconciliationItems',
      summary: 'The reconciled documents with their field-level differences (cursor-paginated)',
      query: {
        class: {
          description: `Only these classes, comma-separated (${RECONCILE_CLASSES.join(', ')})`,
          schema: { type: 'string', pattern: CLASS_LIST.source },
        },
        flow: { description: 'Only documents of this flow', schema: { type: 'string', format: 'uuid' } },
        limit: {
          description: 'Page size (default 100)',
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
        cursor: {
          description: 'nextCursor of the previous page',
          schema: { type: 'string', pattern: '^\\d{1,9}$' },
        },
      },
      responses: { 200: { description: 'One page', schema: 'ReconciliationItemList' } },
      handle: async (c, { tenantId, params, query }) => {
        const row = await owned(tenantId, params.reconciliationId!)
        const limit = Number(query.limit ?? 100)
        const items = await listReconciliationItems(deps.db, row.id, {
          classes: typeof query.class === 'string' ? query.class.split(',') : undefined,
          flowId: query.flow as string | undefined,
          afterSeq: query.cursor === undefined ? undefined : Number(query.cursor),
          limit: limit + 1,
        })
        const page = items.slice(0, limit)
        return c.json({ items: page, nextCursor: items.length > limit ? String(page.at(-1)!.seq) : null })
      },
    }),
    route({
      method: 'get',
      path: '/v1/reconciliations/:reconciliationId/csv',
      operationId: 'downloadReconciliation',
      summary: 'The reconciliation as CSV: one row per document, one column per differing field',
      responses: {
        200: { description: 'UTF-8 CSV (with BOM)', contentType: 'text/csv' },
        409: { description: 'Not finished yet', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params }) => {
        const row = await owned(tenantId, params.reconciliationId!)
        if (row.state !== 'done')
          throw new ApiProblem(
            409,
            'not-finished',
            `the reconciliation is ${row.state}; download it once it is done`,
          )
        const items: ReconciliationItemRow[] = []
        for (;;) {
          const page = await listReconciliationItems(deps.db, row.id, {
            afterSeq: items.at(-1)?.seq,
            limit: CSV_PAGE,
          })
          items.push(...page)
          if (page.length < CSV_PAGE) break
        }
        const names = new Map(
          (await listReconciliationFlows(deps.db, row.id)).map((f) => [f.flowId, f.flowName]),
        )
        const file = `reconciliation-${row.recipe ?? names.get(row.flowId ?? '') ?? row.flowId}-${row.periodFrom}-${row.periodTo}.csv`
        return c.body(reconciliationCsv(items, names), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"`,
        })
      },
    }),
    route({
      method: 'get',
      path: '/v1/reconciliation-schedules',
      operationId: 'listReconcileSchedules',
      summary: 'List the daily reconciliation schedules',
      responses: { 200: { description: 'Schedules', schema: 'ReconcileScheduleList' } },
      handle: async (c, { tenantId }) =>
        c.json({ items: (await listReconcileSchedules(deps.db, tenantId)).map(publicRow) }),
    }),
    route({
      method: 'put',
      path: '/v1/reconciliation-schedules',
      operationId: 'putReconcileSchedule',
      summary:
        'Reconcile a flow or recipe every day: the sample period so far, or the last days (drift after go-live)',
      body: 'ReconcileSchedulePut',
      responses: {
        200: {
          description: 'The schedule (replacing the scope’s previous one)',
          schema: 'ReconcileSchedule',
        },
        501: { description: 'This service runs no reconciliation workers', schema: 'Problem' },
      },
      handle: async (c, { tenantId, body }) => {
        const input = body as {
          flow?: string
          recipe?: string
          period: SchedulePeriod
          at: string
          timezone?: string
        }
        const timezone = input.timezone ?? 'Asia/Ho_Chi_Minh'
        if (!isTimeZone(timezone))
          throw new ApiProblem(422, 'invalid-body', 'the time zone is not known', [
            {
              pointer: '/timezone',
              detail: `"${timezone}" is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)`,
            },
          ])
        if ('since' in input.period && !isDay(input.period.since))
          throw new ApiProblem(422, 'invalid-period', 'the period is not valid', [
            { pointer: '/period/since', detail: `must be a date yyyy-mm-dd (got "${input.period.since}")` },
          ])
        const scope = await scopeOf(tenantId, input)
        const schedule = await control().schedule(tenantId, scope, {
          period: input.period,
          at: input.at,
          timezone,
        })
        return c.json(publicRow(schedule))
      },
    }),
    route({
      method: 'delete',
      path: '/v1/reconciliation-schedules/:scheduleId',
      operationId: 'deleteReconcileSchedule',
      summary: 'Stop a daily reconciliation',
      responses: { 204: { description: 'Deleted' } },
      handle: async (c, { tenantId, params }) => {
        if (!(await deleteReconcileSchedule(deps.db, tenantId, params.scheduleId!)))
          throw notFound('reconciliation schedule', params.scheduleId!)
        return c.body(null, 204)
      },
    }),
  ]
}

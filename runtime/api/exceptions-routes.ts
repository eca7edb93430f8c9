import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { createBulkRetry } from '../store/bulk-retries-store.ts'
import { failedRecordIdsByCause, listFailureGroups } from '../store/failure-groups-queries.ts'
import { getFlowVersion } from '../store/flows-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { missingMappingRow } from './missing-lookup.ts'
import { notFound } from './problem.ts'
import { REPLAY_LIMIT } from './records-routes.ts'

const causeParam = { cause: { type: 'string', pattern: '^[0-9a-f]{32}$' } }

/**
 * Tenant routes: failed records grouped by cause (20 invoices "The posting period is closed" are one
 * group), and retrying a whole group through the same replay the records routes use.
 */
export function exceptionsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/exceptions',
      operationId: 'listExceptions',
      summary:
        'Failed records grouped by cause, largest group first, with the mapping row to fix for lookup_missing',
      tag: 'records',
      access: 'tenant',
      responses: { 200: { description: 'Groups', schema: 'ExceptionGroupList' } },
      handle: async (c, { tenantId }) => {
        const groups = await listFailureGroups(deps.db, tenantId)
        const manifests = new Map<string, FlowManifest | undefined>()
        const manifestOf = async (flowId: string, version: number) => {
          const k = `${flowId}@${version}`
          if (!manifests.has(k))
            manifests.set(
              k,
              (await getFlowVersion(deps.db, flowId, version))?.manifest as FlowManifest | undefined,
            )
          return manifests.get(k)
        }
        const items = []
        for (const g of groups) {
          const e = g.example.error
          const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
          items.push({
            cause: g.cause,
            kind: g.kind,
            code: g.code,
            message: text(e.remoteMessage) ?? text(e.message) ?? '',
            pattern: g.pattern,
            count: g.count,
            firstAt: g.firstAt,
            lastAt: g.lastAt,
            exampleRecordId: g.example.id,
            flowIds: g.flowIds,
            mappingRow:
              missingMappingRow(e, await manifestOf(g.example.flowId, g.example.flowVersion)) ?? null,
          })
        }
        return c.json({ items })
      },
    },
    {
      method: 'post',
      path: '/v1/exceptions/:cause/retry',
      operationId: 'retryExceptionGroup',
      summary: `Deliver every failed record of a group again with its flow’s latest version (${REPLAY_LIMIT} at a time); follow it with /v1/bulk-retries/{bulkRetryId}`,
      tag: 'records',
      access: 'tenant',
      params: { cause: 'The group’s cause, from GET /v1/exceptions' },
      paramSchemas: causeParam,
      responses: { 202: { description: 'The retry, and how many were queued', schema: 'GroupRetryStarted' } },
      handle: async (c, { tenantId, params }) => {
        const ids = await failedRecordIdsByCause(deps.db, tenantId, params.cause!, REPLAY_LIMIT + 1)
        if (ids.length === 0) throw notFound('exception group', params.cause!)
        const batch = ids.slice(0, REPLAY_LIMIT)
        const retry = await createBulkRetry(deps.db, tenantId, `exceptions:${params.cause}`, batch)
        const result = await deps.flowControl.replay(tenantId, batch, { version: 'latest' })
        return c.json(
          { bulkRetryId: retry.id, matched: batch.length, ...result, more: ids.length > REPLAY_LIMIT },
          202,
        )
      },
    },
  ]
}

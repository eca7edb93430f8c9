import { listConnections } from '../store/connections-store.ts'
import { listFlowPolling, listSubscriptionHealth } from '../store/diagnostics-queries.ts'
import { countTenantRecords } from '../store/overview-queries.ts'
import { readRateUse } from '../store/rate-samples-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'

/**
 * Tenant route: what an operator checks when records stop flowing — webhook subscriptions with
 * expiry and last notification (renew: POST /v1/subscriptions/{id}/renew), each connection's last
 * check (re-run: POST /v1/connections/{id}/check) and its rate-budget use per minute, the delivery
 * backlog, and each flow's last poll and run.
 */
export function diagnosticsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/diagnostics',
      operationId: 'getDiagnostics',
      summary:
        'Subscriptions with expiry and last notification, connection checks, rate-budget use per minute, backlog, last poll per flow',
      tag: 'operations',
      access: 'tenant',
      query: {
        hours: {
          description: 'How far back rate-budget use goes (default 24)',
          schema: { type: 'integer', minimum: 1, maximum: 168, default: 24 },
        },
      },
      responses: { 200: { description: 'Diagnostics', schema: 'Diagnostics' } },
      handle: async (c, { tenantId, query }) => {
        const from = new Date(Date.now() - Number(query.hours ?? 24) * 3600_000)
        const [subscriptions, connections, use, backlog, flows] = await Promise.all([
          listSubscriptionHealth(deps.db, tenantId),
          listConnections(deps.db, tenantId),
          readRateUse(deps.db, tenantId, from),
          countTenantRecords(deps.db, tenantId),
          listFlowPolling(deps.db, tenantId),
        ])
        return c.json({
          subscriptions,
          connections: connections.map((x) => ({
            id: x.id,
            name: x.name,
            connector: x.connector,
            status: x.status,
            statusMessage: x.statusMessage,
            budget: deps.registry[x.connector]?.limits?.budget ?? null,
            rateUse: use.get(x.id) ?? [],
          })),
          backlog,
          flows,
        })
      },
    },
  ]
}

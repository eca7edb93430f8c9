import { listConnections } from '../store/connections-store.ts'
import { listSubscriptionHealth } from '../store/diagnostics-queries.ts'
import { listFailureGroups } from '../store/failure-groups-queries.ts'
import { countTenantRecords, readOverview } from '../store/overview-queries.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { readTimeZone, timeZoneParam } from './time-zone-param.ts'

/** How soon before expiry a subscription needs attention. */
export const SUBSCRIPTION_WARNING_MS = 24 * 3600_000

/** Something a finance team should look at now, most urgent first. */
export interface AttentionItem {
  kind: 'exceptions' | 'connection' | 'subscription'
  /** What it is about: the exception group's cause, the connection's or the subscription's id. */
  id: string
  count: number
  message: string
}

/** Tenant route: the overview — records per day by state, failure rate, delivery time, what needs attention. */
export function overviewRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/overview',
      operationId: 'getOverview',
      summary:
        'Records per day by state, failure rate, time from read to delivered (p50/p95) and what needs attention now',
      tag: 'records',
      access: 'tenant',
      query: {
        days: {
          description: 'How many days back, today included (default 14)',
          schema: { type: 'integer', minimum: 1, maximum: 90, default: 14 },
        },
        timezone: timeZoneParam,
      },
      responses: { 200: { description: 'The overview', schema: 'Overview' } },
      handle: async (c, { tenantId, query }) => {
        const timeZone = readTimeZone(query.timezone)
        const days = Number(query.days ?? 14)
        const now = new Date()
        const from = new Date(now.getTime() - days * 86_400_000)
        const [aggregates, backlog, groups, connections, subscriptions] = await Promise.all([
          readOverview(deps.db, tenantId, from, timeZone),
          countTenantRecords(deps.db, tenantId),
          listFailureGroups(deps.db, tenantId, 5),
          listConnections(deps.db, tenantId),
          listSubscriptionHealth(deps.db, tenantId),
        ])
        const attention: AttentionItem[] = [
          ...connections
            .filter((x) => x.status === 'error')
            .map((x) => ({
              kind: 'connection' as const,
              id: x.id,
              count: 1,
              message: `${x.name}: ${x.statusMessage ?? 'the last check failed'}`,
            })),
          ...subscriptions
            .filter(
              (s) =>
                s.state !== 'active' ||
                (s.expiresAt !== null && s.expiresAt.getTime() - now.getTime() < SUBSCRIPTION_WARNING_MS),
            )
            .map((s) => ({
              kind: 'subscription' as const,
              id: s.id,
              count: 1,
              message:
                s.expiresAt && s.expiresAt <= now
                  ? `${s.stream}: expired ${s.expiresAt.toISOString()}`
                  : s.state !== 'active'
                    ? `${s.stream}: ${s.lastError ?? s.state}`
                    : `${s.stream}: expires ${s.expiresAt!.toISOString()}`,
            })),
          ...groups.map((g) => ({
            kind: 'exceptions' as const,
            id: g.cause,
            count: g.count,
            message: String(g.example.error.remoteMessage ?? g.example.error.message ?? g.code),
          })),
        ]
        const settled = aggregates.delivered + aggregates.failed
        return c.json({
          from,
          timezone: timeZone,
          days: aggregates.days,
          delivered: aggregates.delivered,
          failed: aggregates.failed,
          failureRate: settled === 0 ? null : Math.round((aggregates.failed / settled) * 10_000) / 10_000,
          deliverySeconds: aggregates.deliverySeconds,
          backlog,
          attention,
        })
      },
    },
  ]
}

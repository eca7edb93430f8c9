import { RECORD_STATES } from '../../core/record/record-state.ts'
import { RUN_TRANSITIONS } from '../../core/record/run-state.ts'
import { LATENCY_BUCKETS, type MetricsSnapshot, readMetrics } from '../store/metrics-queries.ts'
import { unreconciledByFlow } from '../store/reconciliations-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { type MetricFamily, prometheusText } from './prometheus-text.ts'

function families(
  m: MetricsSnapshot,
  queues: Awaited<ReturnType<NonNullable<ApiDeps['boss']>['getQueues']>>,
  unreconciled: Awaited<ReturnType<typeof unreconciledByFlow>>,
) {
  const byState = (counts: Record<string, number>, states: readonly string[]) =>
    [...new Set([...states, ...Object.keys(counts)])].map((state) => ({
      labels: { state },
      value: counts[state] ?? 0,
    }))
  const list: MetricFamily[] = [
    {
      name: 'ferry_runs_total',
      help: 'Runs by state.',
      type: 'counter',
      samples: byState(m.runsByState, Object.keys(RUN_TRANSITIONS)),
    },
    {
      name: 'ferry_records',
      help: 'Records by state.',
      type: 'gauge',
      samples: byState(m.recordsByState, RECORD_STATES),
    },
    {
      name: 'ferry_retries_total',
      help: 'Delivery retries scheduled after transient errors.',
      type: 'counter',
      samples: [{ value: m.retries }],
    },
    {
      name: 'ferry_delivery_duration_seconds',
      help: 'Latency of target writes, from the ledger.',
      type: 'histogram',
      samples: [
        ...LATENCY_BUCKETS.map((le, i) => ({
          suffix: '_bucket',
          labels: { le: String(le) },
          value: m.latency.buckets[i] ?? 0,
        })),
        { suffix: '_bucket', labels: { le: '+Inf' }, value: m.latency.count },
        { suffix: '_sum', value: m.latency.sumSeconds },
        { suffix: '_count', value: m.latency.count },
      ],
    },
    {
      name: 'ferry_rate_budget_used_total',
      help: 'Requests taken from rate budgets, by connector.',
      type: 'counter',
      samples: m.rateBudget.map((b) => ({ labels: { connector: b.connector }, value: b.used })),
    },
    {
      name: 'ferry_rate_budget_waited_total',
      help: 'Times a request waited for its rate budget, by connector.',
      type: 'counter',
      samples: m.rateBudget.map((b) => ({ labels: { connector: b.connector }, value: b.waited })),
    },
  ]
  list.push({
    name: 'ferry_unreconciled_documents',
    help: 'Documents the newest reconciliation of each flow did not match, by flow and class.',
    type: 'gauge',
    samples: unreconciled.map((u) => ({ labels: { flow: u.flowName, class: u.class }, value: u.count })),
  })
  if (queues.length > 0)
    list.push({
      name: 'ferry_queue_depth',
      help: 'Jobs per queue and state (pg-boss, refreshed by its monitor).',
      type: 'gauge',
      samples: queues.flatMap((q) => [
        { labels: { queue: q.name, state: 'queued' }, value: q.queuedCount },
        { labels: { queue: q.name, state: 'active' }, value: q.activeCount },
        { labels: { queue: q.name, state: 'deferred' }, value: q.deferredCount },
      ]),
    })
  return list
}

/**
 * `/metrics` in Prometheus text. An admin key sees every tenant and the queues; a tenant key sees
 * its own numbers only (queues are shared, so they are left out). Aggregates are cached briefly.
 */
export function metricsRoutes(deps: ApiDeps): ApiRoute[] {
  const cache = new Map<string, { at: number; text: Promise<string> }>()
  const ttl = deps.metricsCacheMs ?? 5000
  const render = async (tenantId: string | undefined) => {
    const [snapshot, queues, unreconciled] = await Promise.all([
      readMetrics(deps.db, tenantId),
      tenantId === undefined && deps.boss ? deps.boss.getQueues() : Promise.resolve([]),
      unreconciledByFlow(deps.db, tenantId),
    ])
    return prometheusText(families(snapshot, queues, unreconciled))
  }
  return [
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (admin key: all tenants and queues; tenant key: that tenant)',
      tag: 'operations',
      access: 'any',
      responses: {
        200: { description: 'Prometheus text exposition 0.0.4', contentType: 'text/plain; version=0.0.4' },
      },
      handle: async (c, { principal }) => {
        const tenantId = principal?.role === 'admin' ? undefined : (principal?.tenantId ?? undefined)
        const key = tenantId ?? '*'
        let hit = cache.get(key)
        if (!hit || Date.now() - hit.at > ttl) {
          hit = { at: Date.now(), text: render(tenantId) }
          hit.text.catch(() => cache.delete(key))
          cache.set(key, hit)
        }
        return c.body(await hit.text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      },
    },
  ]
}

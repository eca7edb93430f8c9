import { Hono } from 'hono'
import type { PgBoss } from 'pg-boss'
import type { Connector, ConnectorLimits, Logger } from '../../core/connector/connector.ts'
import type { EgressPolicy } from '../egress/egress-policy.ts'
import type { FlowControl } from '../engine/flow-control.ts'
import { limitedFetch } from '../limits/limited-fetch.ts'
import { createBoss } from '../queue/create-boss.ts'
import { type DeliverWorkers, startDeliverWorkers } from '../queue/deliver-worker.ts'
import { startFlowRunWorker } from '../queue/flow-run-worker.ts'
import { type FlowScheduler, startFlowScheduler } from '../queue/flow-scheduler.ts'
import { pollOutcomes } from '../queue/poll-outcomes.ts'
import { queueDispatcher } from '../queue/queue-dispatcher.ts'
import { queueFlowControl } from '../queue/queue-flow-control.ts'
import { queueReconcileControl } from '../queue/queue-reconcile-control.ts'
import { createQueues, QUEUES } from '../queue/queues.ts'
import { startReconcileWorker } from '../queue/reconcile-worker.ts'
import { startDueReconciliations } from '../queue/start-due-reconciliations.ts'
import { maintainSubscriptions } from '../queue/subscriptions.ts'
import type { ReconcileControl } from '../reconcile/reconcile-control.ts'
import { runReconciliation } from '../reconcile/run-reconciliation.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { sealConnectionState } from '../store/connection-state-store.ts'
import type { Db } from '../store/database.ts'
import type { MappingTableSource } from '../store/mapping-rows-store.ts'
import { mappingTableSource } from '../store/mapping-rows-store.ts'
import { sampleRateBuckets } from '../store/rate-samples-store.ts'
import { webhookRoutes } from '../webhooks/webhook-routes.ts'
import { startWebhookWorker } from '../webhooks/webhook-worker.ts'
import { createEngine } from './create-engine.ts'

/** Options for {@link startService}. */
export interface ServiceOptions {
  db: Db
  connectionString: string
  box: SecretBox
  registry: Record<string, Connector>
  log: Logger
  /** Run the delivery, flow-run, webhook and upkeep workers in this process. */
  workers: boolean
  /** The URL remote systems reach this service at (webhook subscriptions); none: no subscriptions. */
  publicUrl?: string
  fetch?: typeof fetch
  /** Where connections may send requests (default: from the environment). */
  egress?: EgressPolicy
  limitsFor?: (connector: Connector) => ConnectorLimits | undefined
  /** Where recipe mapping tables are read (default: the confirmed rows in this database). */
  mappingTables?: MappingTableSource
  /** Unordered deliveries in flight per process (default 32); see startDeliverWorkers. */
  concurrency?: number
  role?: string
}

/** A running Ferry service: queue, engine, workers and the HTTP routes it serves. */
export interface Service {
  boss: PgBoss
  engine: ReturnType<typeof createEngine>
  flowControl: FlowControl
  reconcileControl: ReconcileControl
  /** The service's own routes (the webhook ingress); the API is mounted beside them. */
  app: Hono
  /**
   * Fetches delivery jobs now instead of at the next poll (no-op without workers). Call after the
   * transaction that enqueued deliveries in this process committed; see DeliverWorkers.wake.
   */
  wakeDeliveries(): void
  draining(): boolean
  stop(): Promise<void>
}

/**
 * Composition root of the service: pg-boss on Ferry's database, the engine with the cross-process
 * rate limiter and the queue dispatcher, and — when `workers` — every worker, the flow scheduler
 * (flow_schedules ticker) and the one-minute upkeep (pending outcomes, subscription renewal). Scale out by starting more processes.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const boss = await createBoss({
    connectionString: options.connectionString,
    role: options.role ?? 'service',
    log: options.log,
  })
  await createQueues(boss)
  // Connection state written in clear by an earlier version holds tokens: seal it before any work.
  await sealConnectionState(options.db, options.box)
  const engine = createEngine({
    db: options.db,
    box: options.box,
    registry: options.registry,
    log: options.log,
    fetch: options.fetch,
    egress: options.egress,
    wrapFetch: limitedFetch({ db: options.db, limitsFor: options.limitsFor }),
    mappingTables: options.mappingTables ?? mappingTableSource(options.db),
    dispatcher: () => queueDispatcher(boss),
  })
  const deps = { ...engine.deps, boss, box: options.box, publicUrl: options.publicUrl }
  const flowControl = queueFlowControl(deps)
  const reconcileControl = queueReconcileControl(deps)
  let scheduler: FlowScheduler | undefined
  let deliveries: DeliverWorkers | undefined
  if (options.workers) {
    deliveries = await startDeliverWorkers({
      boss,
      deliver: engine.deliver,
      deliverMany: engine.deliverMany,
      dispatcher: engine.deps.dispatcher,
      log: options.log,
      concurrency: options.concurrency,
      connectionString: options.connectionString,
    })
    await startFlowRunWorker(deps, engine.programs)
    scheduler = await startFlowScheduler({ db: options.db, boss, log: options.log })
    await startWebhookWorker(deps, engine.programs)
    await startReconcileWorker({
      boss,
      run: (id) => runReconciliation({ ...engine.deps, programs: engine.programs }, id),
    })
    await boss.schedule(QUEUES.upkeep, '* * * * *', {}, { key: 'upkeep' })
    await boss.work(QUEUES.upkeep, { pollingIntervalSeconds: 5 }, async () => {
      const outcomes = await pollOutcomes(engine.deps)
      const subscriptions = await maintainSubscriptions(deps)
      const reconciliations = await startDueReconciliations(options.db, boss)
      // Rate buckets only count; diagnostics chart use over time from these per-minute samples.
      const rateSamples = await sampleRateBuckets(options.db)
      return { outcomes, subscriptions, reconciliations, rateSamples }
    })
  }
  let draining = false
  const app = new Hono().route('/', webhookRoutes(deps, engine.programs))
  return {
    boss,
    engine,
    flowControl,
    reconcileControl,
    app,
    wakeDeliveries: () => deliveries?.wake(),
    draining: () => draining,
    async stop() {
      draining = true
      await scheduler?.stop()
      // The delivery slot workers are not pg-boss's own: they settle their jobs before it stops.
      await deliveries?.stop(15_000)
      await boss.stop({ graceful: true, timeout: 15_000 })
    },
  }
}

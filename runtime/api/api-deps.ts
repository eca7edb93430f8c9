import type { Connector, Logger } from '../../core/connector/connector.ts'
import type { ConnectorCatalog } from '../../core/manifest/catalog.ts'
import type { EgressPolicy } from '../egress/egress-policy.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import type { FlowControl } from '../engine/flow-control.ts'
import type { MappingPool } from '../mapping-pool/mapping-pool.ts'
import type { ReconcileControl } from '../reconcile/reconcile-control.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { Db } from '../store/database.ts'
import type { RecipeInstaller } from './recipe-installer.ts'

/** The part of pg-boss /metrics reads: queue sizes (served from pg-boss's own cache). */
export interface QueueStatsSource {
  getQueues(): Promise<{ name: string; queuedCount: number; activeCount: number; deferredCount: number }[]>
}

/** Everything the API needs, injected so tests build it against a test database. */
export interface ApiDeps {
  db: Db
  box: SecretBox
  registry: Record<string, Connector>
  catalog: ConnectorCatalog
  /** Declared connectors: id → the manifest file it came from (the rest are TypeScript). */
  declaredConnectors?: Record<string, string>
  flowControl: FlowControl
  log: Logger
  /** Connector contexts for `connections/:id/check` (pass the engine's; default: a cache of the API's own). */
  contexts?: ConnectionContexts
  /** Where connections may send requests (default: from the environment); checked when a config is saved. */
  egress?: EgressPolicy
  /** The transport for the default contexts (tests route sandboxes in-process). */
  fetch?: typeof globalThis.fetch
  /** Queue depth for /metrics; without it the queue gauges are left out. */
  boss?: QueueStatsSource
  /** Starts and schedules reconciliations; without it those routes answer 501 (reading them still works). */
  reconcile?: ReconcileControl
  /** Enables recipes; without it `recipes/:name/enable` answers 501. */
  recipes?: RecipeInstaller
  /** Folder holding `<recipe>/recipe.yaml` (default: manifests/recipes of this checkout). */
  recipesDir?: string
  /** True while the service shuts down (health answers 503). */
  draining?: () => boolean
  /** How long /metrics reuses its aggregates (default 5 s). */
  metricsCacheMs?: number
  /** Where manifests are parsed and checked, off the event loop (default: this process's mapping pool). */
  mappingPool?: MappingPool
}

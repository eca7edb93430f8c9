import { randomBytes } from 'node:crypto'
import { connectors } from '../../connectors/index.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { createBoss } from '../../runtime/queue/create-boss.ts'
import { type FlowRunJob, flowRunKey } from '../../runtime/queue/flow-run-job.ts'
import { QUEUES } from '../../runtime/queue/queues.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion, setFlowEnabled } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { type BenchDatabase, startBenchDatabase } from './bench-database.ts'
import type { BenchWorkerEnv } from './bench-worker.ts'
import type { SandboxEndpoint } from './sandbox-server.ts'
import { spawnTsx, type TsxChild } from './spawn-tsx.ts'

/**
 * BENCH_LIMITS that switch every connector's limits off, for scenarios that measure the engine rather
 * than a remote budget (BC's declared 20 requests/s would otherwise cap them near 7 invoices/s).
 */
export const NO_LIMITS = JSON.stringify({ 'business-central': null, basware: null, misa: null })

/** Options for {@link startBenchEnvironment}. */
export interface BenchEnvironmentOptions {
  /** Sandboxes to serve from the sandbox child, by connector id. */
  sandboxes: (keyof typeof connectors)[]
  fsync?: boolean
  /** How the sandboxes start: `demo` data (default) or `empty` (credentials only). */
  seed?: 'demo' | 'empty'
}

/**
 * Everything a service-level scenario needs outside the engine: a fresh database, the sandboxes in
 * their own process, a tenant with one connection per sandbox, a queue client to trigger runs, and
 * worker processes (`bench-worker.ts`, i.e. `ferry worker` with bench limits) started on demand.
 */
export async function startBenchEnvironment(options: BenchEnvironmentOptions) {
  const database: BenchDatabase = await startBenchDatabase({ fsync: options.fsync })
  const sandboxes = await spawnTsx<Record<string, SandboxEndpoint>>(
    'test/bench/sandbox-server.ts',
    options.sandboxes,
    { BENCH_SANDBOX_SEED: options.seed ?? 'demo' },
  )
  const masterKey = randomBytes(32)
  const box = createSecretBox(masterKey)
  const boss = await createBoss({
    connectionString: database.connectionString,
    role: 'bench-driver',
    supervise: false,
    max: 4,
  })
  const workers: TsxChild<unknown>[] = []

  const connectionsFor = async (tenantId: string) => {
    const ids: Record<string, string> = {}
    for (const id of options.sandboxes) {
      const saved = await saveConnection(database.db, box, {
        tenantId,
        name: id,
        connector: id,
        config: sandboxes.ready[id]!.config,
        schema: connectors[id].configSchema,
      })
      ids[id] = saved.id
    }
    return ids
  }

  return {
    db: database.db,
    database,
    boss,
    endpoints: sandboxes.ready,
    sandboxPid: sandboxes.child.pid!,
    /** The master key connections are sealed with (for a service started in the bench process). */
    masterKey,
    /** A tenant with one connection per sandbox; returns the connection ids by connector id. */
    async tenant(name: string) {
      const tenant = await ensureTenant(database.db, name)
      return { tenantId: tenant.id, connections: await connectionsFor(tenant.id) }
    },
    /** Saves and enables (no schedule) a flow, its aliases bound to the tenant's connections by connector id. */
    async flow(tenantId: string, connections: Record<string, string>, manifest: FlowManifest) {
      const bindings = Object.fromEntries(
        Object.entries(manifest.connections).map(([alias, connector]) => [alias, connections[connector]!]),
      )
      const saved = await saveFlowVersion(database.db, {
        tenantId,
        name: manifest.name,
        manifest: manifest as never,
        sourceFile: `${manifest.name}.flow.yaml`,
        bindings,
      })
      await setFlowEnabled(database.db, saved.flow.id, true)
      return saved.flow.id
    },
    /** Queues a run, as the API's "run now" does. */
    async runNow(tenantId: string, flowId: string) {
      const job: FlowRunJob = { tenantId, flowId, trigger: 'api', scope: 'live' }
      await boss.send(QUEUES.flowRun, job, { singletonKey: flowRunKey(job) })
    },
    /** Calls a sandbox's control API (`/__sandbox/…`). */
    async control(connector: string, path: string, body?: unknown): Promise<any> {
      const response = await fetch(`${sandboxes.ready[connector]!.baseUrl}/__sandbox${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!response.ok) throw new Error(`${connector} ${path}: ${response.status} ${await response.text()}`)
      return response.json()
    },
    /**
     * Starts a worker process; `extra` sets bench limits and concurrency. `entry` runs another child
     * with the same environment (e.g. `bench-service.ts`, which also serves the webhook ingress).
     */
    async startWorker<T extends { pid: number } = { pid: number }>(
      extra: Partial<BenchWorkerEnv> = {},
      entry = 'test/bench/bench-worker.ts',
    ) {
      const env: BenchWorkerEnv = {
        // What the `ferry` launcher (runtime/cli/ferry.js) gives every process it starts.
        NODE_OPTIONS: '--max-semi-space-size=4',
        DATABASE_URL: database.connectionString,
        FERRY_MASTER_KEY: masterKey.toString('hex'),
        ...extra,
      }
      const worker = await spawnTsx<T>(entry, [], { ...env })
      workers.push(worker)
      return worker
    },
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop()))
    },
    async stop() {
      await Promise.all(workers.splice(0).map((w) => w.stop()))
      await boss.stop({ graceful: false, close: true })
      await sandboxes.stop()
      await database.stop()
    },
  }
}

/** A started {@link startBenchEnvironment}. */
export type BenchEnvironment = Awaited<ReturnType<typeof startBenchEnvironment>>

import { connectors } from '../../connectors/index.ts'
import type { ConnectorLimits } from '../../core/connector/connector.ts'
import { createLogger } from '../../runtime/log/create-logger.ts'
import { startService } from '../../runtime/main/start-service.ts'
import { createSecretBox, parseMasterKey } from '../../runtime/secrets/secret-box.ts'
import { createDb } from '../../runtime/store/database.ts'
import { demoMappingTables } from './demo-mapping-tables.ts'

/** Environment of a bench worker, set by {@link spawnBenchWorker}'s callers. */
export interface BenchWorkerEnv {
  /** V8 flags, as the `ferry` launcher sets them. */
  NODE_OPTIONS?: string
  DATABASE_URL: string
  FERRY_MASTER_KEY: string
  /** JSON: connector id → limits to enforce instead of the declared ones (`null`: none). */
  BENCH_LIMITS?: string
  BENCH_CONCURRENCY?: string
}

// Child-process entry: what `ferry worker` runs (startService with workers), plus the two things a
// benchmark must set that the CLI has no flag for: overridden limits and the recipe's mapping tables.
const env = process.env as unknown as BenchWorkerEnv
const limits = JSON.parse(env.BENCH_LIMITS ?? '{}') as Record<string, ConnectorLimits | null>
const log = createLogger({ level: 'error', fields: { role: 'bench-worker', pid: process.pid } })
const db = createDb(env.DATABASE_URL)
const service = await startService({
  db,
  connectionString: env.DATABASE_URL,
  box: createSecretBox(parseMasterKey(env.FERRY_MASTER_KEY)),
  registry: connectors,
  log,
  workers: true,
  role: 'bench-worker',
  concurrency: env.BENCH_CONCURRENCY ? Number(env.BENCH_CONCURRENCY) : undefined,
  mappingTables: demoMappingTables,
  limitsFor: (connector) => (connector.id in limits ? (limits[connector.id] ?? {}) : connector.limits),
})
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`)
process.once('SIGTERM', async () => {
  await service.stop()
  await db.destroy()
  process.exit(0)
})

import { createServer } from 'node:net'
import { serve } from '@hono/node-server'
import type { ConnectorLimits } from '../../core/connector/connector.ts'
import { createLogger } from '../../runtime/log/create-logger.ts'
import { connectorRegistry } from '../../runtime/main/connector-registry.ts'
import { startService } from '../../runtime/main/start-service.ts'
import { maintainSubscriptions } from '../../runtime/queue/subscriptions.ts'
import { createSecretBox, parseMasterKey } from '../../runtime/secrets/secret-box.ts'
import { createDb } from '../../runtime/store/database.ts'
import type { BenchWorkerEnv } from './bench-worker.ts'
import { demoMappingTables } from './demo-mapping-tables.ts'

/** What a bench service prints once its webhook ingress listens and its subscriptions exist. */
export interface BenchServiceReady {
  pid: number
  publicUrl: string
  subscriptions: { created: number; renewed: number; failed: number }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

// Child-process entry: what `ferry start` runs minus the API — startService with workers and the
// webhook ingress on a loopback port — so that webhook latency is measured through a real socket in a
// process of its own. Subscriptions are made at once instead of at the next one-minute upkeep.
// Connectors as `ferry start` loads them: the TypeScript ones plus the manifests under connectors/ and
// FERRY_CONNECTOR_PATH (the n8n side by side adds the bench sink that way).
const env = process.env as unknown as BenchWorkerEnv
const limits = JSON.parse(env.BENCH_LIMITS ?? '{}') as Record<string, ConnectorLimits | null>
const log = createLogger({ level: 'error', fields: { role: 'bench-service', pid: process.pid } })
const db = createDb(env.DATABASE_URL)
const port = await freePort()
const publicUrl = `http://127.0.0.1:${port}`
const box = createSecretBox(parseMasterKey(env.FERRY_MASTER_KEY))
const { registry } = connectorRegistry({ env: process.env })
const service = await startService({
  db,
  connectionString: env.DATABASE_URL,
  box,
  registry,
  log,
  workers: true,
  publicUrl,
  role: 'bench-service',
  concurrency: env.BENCH_CONCURRENCY ? Number(env.BENCH_CONCURRENCY) : undefined,
  mappingTables: demoMappingTables,
  limitsFor: (connector) => (connector.id in limits ? (limits[connector.id] ?? {}) : connector.limits),
})
const server = serve({ fetch: service.app.fetch, port, hostname: '127.0.0.1' })
const subscriptions = await maintainSubscriptions({
  ...service.engine.deps,
  box,
  publicUrl,
})
const ready: BenchServiceReady = { pid: process.pid, publicUrl, subscriptions }
process.stdout.write(`${JSON.stringify(ready)}\n`)
process.once('SIGTERM', async () => {
  server.close()
  await service.stop()
  await db.destroy()
  process.exit(0)
})

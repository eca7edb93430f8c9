import { parseArgs } from 'node:util'
import { parseLimitsOverride } from '../limits/limits-override.ts'
import { createLogger } from '../log/create-logger.ts'
import { connectorRegistry } from '../main/connector-registry.ts'
import { dataDir } from '../main/data-dir.ts'
import { openDatabase } from '../main/open-database.ts'
import { startService } from '../main/start-service.ts'
import { closeProcessMappingPool } from '../mapping-pool/process-mapping-pool.ts'
import { createSecretBox, loadMasterKey } from '../secrets/secret-box.ts'
import { runUntilStopped } from './run-until-stopped.ts'

/**
 * `ferry worker`: delivery, flow-run, webhook and upkeep workers only, against the PostgreSQL in
 * DATABASE_URL. Run as many as you like, on any machine: pg-boss hands each job to one of them, and
 * rate budgets are shared through the database. FERRY_LIMITS (JSON, connector id → limits) replaces
 * declared limits; give every process the same value.
 */
export async function workerCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { concurrency: { type: 'string' } } })
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    out('ferry worker needs DATABASE_URL: the database `ferry start` prints (or your own PostgreSQL).')
    return 2
  }
  const limitsFor = parseLimitsOverride(process.env.FERRY_LIMITS)
  return runUntilStopped({
    out,
    start: async (defer) => {
      const log = createLogger({ fields: { role: 'worker', pid: process.pid } })
      const database = await openDatabase({ dataDir: dataDir(), databaseUrl, log, migrate: false })
      defer('the database', () => database.close())
      const box = createSecretBox(await loadMasterKey(dataDir()))
      // Stopped after the workers (steps run last-registered first): jobs in hand still map.
      defer('the mapping processes', closeProcessMappingPool)
      const service = await startService({
        db: database.db,
        connectionString: database.connectionString,
        box,
        registry: connectorRegistry().registry,
        log,
        workers: true,
        role: 'worker',
        concurrency: values.concurrency ? Number(values.concurrency) : undefined,
        limitsFor,
      })
      defer('the workers', () => service.stop())
      out(`ferry worker ${process.pid} is working (Ctrl-C stops after the jobs in hand)`)
    },
  })
}

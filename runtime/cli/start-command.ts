import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { healthRoutes } from '../api/health-routes.ts'
import { createLogger } from '../log/create-logger.ts'
import { dataDir } from '../main/data-dir.ts'
import { openDatabase } from '../main/open-database.ts'
import { createBoss } from '../queue/create-boss.ts'

/** `ferry start`: the database (embedded unless DATABASE_URL), the queue, and the HTTP API. */
export async function startCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, demo: { type: 'boolean' } },
  })
  const log = createLogger()
  const database = await openDatabase({ dataDir: dataDir(), databaseUrl: process.env.DATABASE_URL, log })
  const boss = await createBoss({ connectionString: database.connectionString, role: 'start', log })
  let draining = false
  const app = new Hono().route('/', healthRoutes({ db: database.db, draining: () => draining }))
  const port = Number(values.port ?? process.env.PORT ?? 4680)
  const server = serve({ fetch: app.fetch, hostname: process.env.HOST ?? '127.0.0.1', port })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  out(
    `Ferry is running: http://127.0.0.1:${port}  (database: ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`,
  )
  out('Health: curl http://127.0.0.1:' + port + '/health   ·   Ctrl-C stops')

  return new Promise<number>((resolve) => {
    const stop = async () => {
      if (draining) return
      draining = true
      out('stopping…')
      const sweep = setInterval(
        () => (server as unknown as { closeIdleConnections(): void }).closeIdleConnections(),
        50,
      )
      await new Promise((r) => server.close(r))
      clearInterval(sweep)
      await boss.stop({ graceful: true, timeout: 10_000 })
      await database.close()
      resolve(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

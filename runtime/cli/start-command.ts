import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../api/create-api-app.ts'
import { consentAppsFromEnv } from '../console/consent-apps-from-env.ts'
import { mountConsole } from '../console/mount-console.ts'
import { startDemo } from '../demo/start-demo.ts'
import { egressPolicyFromEnv } from '../egress/egress-policy.ts'
import { parseLimitsOverride } from '../limits/limits-override.ts'
import { createLogger } from '../log/create-logger.ts'
import { connectorRegistry } from '../main/connector-registry.ts'
import { dataDir } from '../main/data-dir.ts'
import { openDatabase } from '../main/open-database.ts'
import { startService } from '../main/start-service.ts'
import { closeProcessMappingPool } from '../mapping-pool/process-mapping-pool.ts'
import { createRecipeInstaller } from '../recipes/create-recipe-installer.ts'
import { createSecretBox, loadMasterKey } from '../secrets/secret-box.ts'
import { ensureAdminKey } from '../store/api-keys-queries.ts'
import { writeCliConfig, writeDatabaseUrl } from './cli-config.ts'
import { type DeferStop, runUntilStopped } from './run-until-stopped.ts'
import { startBanner } from './start-banner.ts'

/**
 * `ferry start [--demo]`: the database (embedded unless DATABASE_URL), the queue and workers, the
 * HTTP API with the webhook ingress; with --demo also the sandboxes and a demo tenant.
 */
export async function startCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, demo: { type: 'boolean' } },
  })
  return runUntilStopped({ out, start: (defer) => start(values, out, defer) })
}

async function start(
  values: { port?: string; demo?: boolean },
  out: (line: string) => void,
  defer: DeferStop,
): Promise<void> {
  const { registry: connectors, declarations } = connectorRegistry()
  const log = createLogger({ level: (process.env.FERRY_LOG_LEVEL as 'info') ?? 'warn' })
  const dir = dataDir()
  const database = await openDatabase({ dataDir: dir, databaseUrl: process.env.DATABASE_URL, log })
  defer('the database', () => database.close())
  const box = createSecretBox(await loadMasterKey(dir))
  const port = Number(values.port ?? process.env.PORT ?? 4680)
  const host = process.env.HOST ?? '127.0.0.1'
  const publicUrl = process.env.FERRY_PUBLIC_URL ?? `http://127.0.0.1:${port}`
  // The demo's sandboxes listen on loopback http, which the egress policy refuses unless allowed.
  const egress = egressPolicyFromEnv(
    values.demo ? { FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1', ...process.env } : process.env,
  )
  // Stopped after the workers (steps run last-registered first): jobs in hand still map.
  defer('the mapping processes', closeProcessMappingPool)
  const service = await startService({
    db: database.db,
    connectionString: database.connectionString,
    box,
    registry: connectors,
    log,
    workers: true,
    publicUrl,
    egress,
    role: 'start',
    limitsFor: parseLimitsOverride(process.env.FERRY_LIMITS),
  })
  defer('the workers', () => service.stop())
  const installer = createRecipeInstaller({ db: database.db, contexts: service.engine.deps.contexts })
  const app = createApiApp({
    db: database.db,
    box,
    registry: connectors,
    catalog: catalogFromConnectors(connectors),
    declaredConnectors: Object.fromEntries(declarations.map((d) => [d.manifest.id, d.file])),
    flowControl: service.flowControl,
    reconcile: service.reconcileControl,
    log,
    contexts: service.engine.deps.contexts,
    egress,
    boss: service.boss,
    recipes: installer,
    draining: service.draining,
  })
  const consentApps = consentAppsFromEnv(process.env)
  mountConsole(app, { db: database.db, log, publicUrl, consentApps: () => consentApps })
  app.route('/', service.app)
  const server = serve({ fetch: app.fetch, hostname: host, port })
  // A port already taken fails the start (and stops what it started) instead of waiting forever.
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve())
    server.once('error', reject)
  })
  defer('the HTTP server', async () => {
    const sweep = setInterval(
      () => (server as unknown as { closeIdleConnections(): void }).closeIdleConnections(),
      50,
    )
    await new Promise((r) => server.close(r))
    clearInterval(sweep)
  })
  const admin = await ensureAdminKey(database.db, process.env.FERRY_ADMIN_KEY)
  const banner = startBanner({
    publicUrl,
    admin,
    ...(database.embedded
      ? { embeddedIn: dir, databaseUrlFile: await writeDatabaseUrl(dir, database.connectionString) }
      : {}),
  })
  for (const line of banner) out(line)
  const demo = values.demo
    ? await startDemo({
        db: database.db,
        box,
        service,
        registry: connectors,
        installer,
        publicUrl,
        log,
        out,
        consentApps,
      })
    : undefined
  if (demo) {
    defer('the demo', () => demo.stop())
    // The CLI's API commands find the demo here when no --api/--key is given (kubectl's kubeconfig).
    const file = await writeCliConfig(dir, { apiUrl: publicUrl, apiKey: demo.apiKey })
    out(`CLI: npx ferry flows | runs | records | replay  (API URL and demo key saved in ${file})`)
  }
  out('Ctrl-C stops everything.')
}

// In-process census of an idle fleet: SQL statements and HTTP requests per scheduled poll.
import { createRequire } from 'node:module'
import { sql } from 'kysely'
import { connectors } from '../../connectors/index.ts'
import { createLogger } from '../../runtime/log/create-logger.ts'
import { startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { createDb } from '../../runtime/store/database.ts'
import { NO_LIMITS, startBenchEnvironment } from './bench-environment.ts'
import { demoMappingTables } from './demo-mapping-tables.ts'
import { seedTenantFleet } from './tenant-fleet.ts'
import { waitFlowsPolledTwice } from './wait-flows-polled-twice.ts'

const require = createRequire(import.meta.url)
const pg = require('pg')
const counts = new Map<string, number>()
let counting = false
const bump = (k: string) => counting && counts.set(k, (counts.get(k) ?? 0) + 1)
const origQuery = pg.Client.prototype.query
pg.Client.prototype.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
  const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?')
  bump(`sql ${text.replace(/\s+/g, ' ').slice(0, Number(process.env.W ?? 90))}`)
  return origQuery.call(this, q, ...rest)
}
const origConnect = pg.Client.prototype.connect
pg.Client.prototype.connect = function (
  this: { connectionParameters?: { application_name?: string } },
  ...a: unknown[]
) {
  bump(`connect ${this.connectionParameters?.application_name ?? '?'}`)
  return origConnect.apply(this, a)
}
const tenants = Number(process.argv[2] ?? 5)
const windowMs = Number(process.argv[3] ?? 20_000)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const env = await startBenchEnvironment({ sandboxes: ['business-central', 'basware', 'misa'], seed: 'empty' })
const limits = JSON.parse(NO_LIMITS) as Record<string, null>
try {
  const fleet = tenants > 0 ? await seedTenantFleet(env, { tenants, unit: 's' }) : []
  const db = createDb(env.database.connectionString)
  const service = await startService({
    db,
    connectionString: env.database.connectionString,
    box: createSecretBox(env.masterKey),
    registry: connectors,
    log: createLogger({ level: 'error', fields: {} }),
    workers: true,
    role: 'census',
    mappingTables: demoMappingTables,
    limitsFor: (c) => (c.id in limits ? {} : c.limits),
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const u = new URL(String(input instanceof Request ? input.url : input))
      bump(`http ${init?.method ?? 'GET'} ${u.pathname.replace(/[0-9a-f-]{36}/g, ':id').slice(0, 60)}`)
      return fetch(input, init)
    }) as typeof fetch,
  })
  await waitFlowsPolledTwice(env.db, fleet.length, 10_000)
  const from = new Date()
  const cpu0 = process.cpuUsage()
  counting = true
  await sleep(windowMs)
  counting = false
  const cpu = process.cpuUsage(cpu0)
  const { rows } = await sql<{ n: string }>`
    select count(*)::text as n from pgboss.job where name = 'ferry-flow-run' and completed_on >= ${from}`.execute(
    env.db,
  )
  const polls = Number(rows[0]!.n)
  console.log(
    `polls ${polls} in ${windowMs} ms; cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (${((cpu.user + cpu.system) / 1000 / Math.max(polls, 1)).toFixed(2)} ms/poll incl. fixed)`,
  )
  const all = [...counts].sort((a, b) => b[1] - a[1])
  let sqlTotal = 0,
    httpTotal = 0
  for (const [k, v] of all) {
    if (k.startsWith('sql')) sqlTotal += v
    else httpTotal += v
    console.log(String(v).padStart(6), (v / Math.max(polls, 1)).toFixed(2).padStart(6), k)
  }
  console.log(
    `sql/poll ${(sqlTotal / Math.max(polls, 1)).toFixed(2)} http/poll ${(httpTotal / Math.max(polls, 1)).toFixed(2)}`,
  )
  await service.stop()
  await db.destroy()
} finally {
  await env.stop()
}

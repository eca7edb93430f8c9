import { readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { NO_LIMITS, startBenchEnvironment } from './bench-environment.ts'
import { processCpuMs } from './proc-stats.ts'
import { seedTenantFleet } from './tenant-fleet.ts'
import { waitFlowsPolledTwice } from './wait-flows-polled-twice.ts'

// Worker CPU per steady-state idle poll: fleet with 1–60 s intervals, warm until every flow has
// polled twice, then a window; CPU from /proc ÷ flow-run jobs completed in the window.
const tenants = Number(process.argv[2] ?? 10)
const windowMs = Number(process.argv[3] ?? 30_000)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const env = await startBenchEnvironment({ sandboxes: ['business-central', 'basware', 'misa'], seed: 'empty' })
try {
  const fleet = await seedTenantFleet(env, { tenants, unit: 's' })
  const worker = await env.startWorker({ BENCH_LIMITS: NO_LIMITS })
  const pid = worker.ready.pid
  const started = Date.now()
  await waitFlowsPolledTwice(env.db, fleet.length, 15_000)
  const from = new Date()
  const threads = () => {
    const out = new Map<string, number>()
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(`${t} ${name}`, (Number(f[11]) + Number(f[12])) * 10)
    }
    return out
  }
  const th0 = threads()
  const cpu0 = processCpuMs(pid)
  const t0 = Date.now()
  await sleep(windowMs)
  const cpu = processCpuMs(pid) - cpu0
  const wall = Date.now() - t0
  const th1 = threads()
  console.log(
    [...th1]
      .map(([k, v]) => [k, v - (th0.get(k) ?? 0)])
      .filter(([, v]) => (v as number) > 0)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  )
  const { rows } = await sql<{ n: string; rec: string }>`
    select (select count(*) from pgboss.job where name = 'ferry-flow-run' and completed_on >= ${from})::text as n,
           (select count(*) from records where created_at >= ${from})::text as rec`.execute(env.db)
  const polls = Number(rows[0]!.n)
  const { rows: runs } = await sql<{ state: string; flow: string; err: string; n: string }>`
    select r.state, f.name as flow, left(r.error::text, 300) as err, count(*)::text as n from runs r join flows f on f.id = r.flow_id
    where r.started_at >= ${from} group by 1, 2, 3 order by 4 desc`.execute(env.db)
  for (const r of runs) console.log(r.n, r.state, r.flow, r.err)
  const { rows: jobs } = await sql<{ flow: string; n: string; ms: string }>`
    select f.name as flow, count(*)::text as n, avg(extract(epoch from j.completed_on - j.started_on) * 1000)::int::text as ms
    from pgboss.job j join flows f on f.id = (j.data->>'flowId')::uuid
    where j.name = 'ferry-flow-run' and j.completed_on >= ${from} group by 1 order by 1`.execute(env.db)
  for (const r of jobs) console.log('jobs', r.n, r.flow, r.ms, 'ms')
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1)
  console.log(
    JSON.stringify({
      tenants,
      warmS: (t0 - started) / 1000,
      windowS: wall / 1000,
      cpuMs: cpu,
      polls,
      newRecords: Number(rows[0]!.rec),
      pollsPerS: +(polls / (wall / 1000)).toFixed(1),
      cpuPerPollMs: +(cpu / polls).toFixed(2),
      cpuPercent: +((cpu / wall) * 100).toFixed(1),
      load,
    }),
  )
} finally {
  await env.stop()
}

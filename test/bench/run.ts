import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { type BenchRow, formatBenchTable } from './format-bench-table.ts'
import { machineInfo } from './machine-info.ts'
import { scenarios } from './scenarios/index.ts'

// `npm run bench [-- --quick] [-- --peers] [-- --only <id>]`: runs the scenarios, prints one table and
// writes results/latest.json. A missed target is reported, never an exit code; only a crash exits
// non-zero. `--peers` adds the comparisons with other products (n8n), installed outside the repo on first use.
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
  },
})
const quick = values.quick ?? false
const peers = values.peers ?? false
// The sandboxes (and the n8n side by side's sink) listen on loopback over plain http, which the
// egress policy refuses unless told otherwise, as the tests and `ferry start --demo` tell it. Every
// worker and service child inherits this environment.
process.env.FERRY_EGRESS_ALLOW_LOOPBACK_HTTP ??= '1'
const only = values.only ?? []
const unknown = only.filter((id) => !scenarios.some((scenario) => scenario.id === id))
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.id).join(', ')}`)
  process.exit(2)
}

const needPeers = scenarios.filter((s) => s.peer && only.includes(s.id) && !peers)
if (needPeers.length > 0) {
  console.error(`${needPeers.map((s) => s.id).join(', ')} compares with another product: add --peers`)
  process.exit(2)
}
const selected = scenarios.filter(
  (scenario) => (only.length === 0 || only.includes(scenario.id)) && (peers || !scenario.peer),
)
const rows: BenchRow[] = []
// The 1-minute load average at each scenario's start and end: on a shared machine a figure means
// little without it (the others' work lands on the same two cores).
const loads = new Map<string, { start: number; end: number }>()
const load = () => Math.round(os.loadavg()[0]! * 100) / 100
for (const scenario of selected) {
  process.stdout.write(`${scenario.id}: ${scenario.title}${quick ? ' (quick)' : ''}...\n`)
  const started = Date.now()
  const loadAtStart = load()
  try {
    const result = await scenario.run({ quick })
    rows.push({ scenario, result })
    loads.set(scenario.id, { start: loadAtStart, end: load() })
    process.stdout.write(
      `  done in ${((Date.now() - started) / 1000).toFixed(1)} s (load average ${loadAtStart} → ${load()})\n`,
    )
  } catch (error) {
    loads.set(scenario.id, { start: loadAtStart, end: load() })
    rows.push({ scenario, error: error instanceof Error ? error.message : String(error) })
    process.stdout.write(
      `  crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
}

console.log(`\n${formatBenchTable(rows)}\n`)
for (const { scenario, result } of rows) {
  if (result?.notes) console.log(`${scenario.id}: ${result.notes}`)
}

const report = {
  date: new Date().toISOString(),
  quick,
  peers,
  machine: machineInfo(),
  scenarios: rows.map(({ scenario, result, error }) => ({
    id: scenario.id,
    title: scenario.title,
    workload: scenario.workload,
    target: scenario.target,
    loadAverage: loads.get(scenario.id),
    ...(result ?? { error }),
  })),
}
const resultsDir = new URL('./results/', import.meta.url)
mkdirSync(resultsDir, { recursive: true })
writeFileSync(new URL('latest.json', resultsDir), `${JSON.stringify(report, null, 2)}\n`)
console.log('wrote test/bench/results/latest.json')
if (rows.some((row) => row.error !== undefined)) process.exitCode = 1

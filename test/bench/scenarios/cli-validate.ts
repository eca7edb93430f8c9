import { timeCliStart } from '../cli-start.ts'
import type { BenchScenario } from '../scenario.ts'

const TARGET_MS = 600
const FLOW = 'manifests/recipes/bc-basware/invoices-to-bc.flow.yaml'

export const cliValidate: BenchScenario = {
  id: 'cli-validate',
  title: '`ferry validate <one flow>` as a whole process',
  workload: `The CLI build is made first (scripts/build-cli.ts, as npm install does); then \`node runtime/cli/ferry.js validate ${FLOW}\` (the bc-basware invoice flow with its JSONata mapping file; the connector manifests that ship with Ferry are checked too, as every validate does) and \`node -e 0\` each run 15 times as fresh processes (5 with --quick), interleaved, rotating which goes first; wall time from spawn to exit, median (CPU, user + system from /usr/bin/time, in the notes); a run that does not print "1 file OK" fails the scenario. NODE_OPTIONS cleared.`,
  target: `≤ ${TARGET_MS} ms`,
  run: (options) => timeCliStart(['validate', FLOW], /^1 file OK$/m, TARGET_MS, options),
}

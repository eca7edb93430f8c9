import { timeCliStart } from '../cli-start.ts'
import type { BenchScenario } from '../scenario.ts'

const TARGET_MS = 300

export const cliHelp: BenchScenario = {
  id: 'cli-help',
  title: '`ferry --help` as a whole process',
  workload:
    'The CLI build is made first (scripts/build-cli.ts, as npm install does); then `node runtime/cli/ferry.js --help` (the installed bin) and `node -e 0` each run 15 times as fresh processes (5 with --quick), interleaved, rotating which goes first; wall time from spawn to exit, median; CPU (user + system, from /usr/bin/time) in the notes. NODE_OPTIONS cleared.',
  target: `≤ ${TARGET_MS} ms`,
  run: (options) => timeCliStart(['--help'], /usage: ferry <command>/, TARGET_MS, options),
}

import type { BenchScenario } from '../scenario.ts'
import { backfillMemory } from './backfill-memory.ts'
import { callsPerRecord } from './calls-per-record.ts'
import { cliHelp } from './cli-help.ts'
import { cliValidate } from './cli-validate.ts'
import { consoleReads } from './console-reads.ts'
import { endToEndThroughput } from './end-to-end-throughput.ts'
import { latency } from './latency.ts'
import { manyTenants } from './many-tenants.ts'
import { mappingStage } from './mapping-stage.ts'
import { n8nSideBySide } from './n8n-side-by-side.ts'
import { queuePlumbing } from './queue-plumbing.ts'
import { rateBudget } from './rate-budget.ts'
import { scaleOut } from './scale-out.ts'

/** Every benchmark `npm run bench` runs, in order (`peer` ones only with `--peers`). Add a scenario here only once it measures something real. */
export const scenarios: readonly BenchScenario[] = [
  mappingStage,
  endToEndThroughput,
  latency,
  callsPerRecord,
  backfillMemory,
  rateBudget,
  scaleOut,
  queuePlumbing,
  manyTenants,
  consoleReads,
  cliHelp,
  cliValidate,
  n8nSideBySide,
]

import { NO_LIMITS } from '../bench-environment.ts'
import { runInvoiceBatch, startInvoiceBench, stopInvoiceBench } from '../invoice-run.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const TARGET_BC = 2.05
const TARGET_BASWARE = 1.05

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const invoices = quick ? 50 : 200
  const bench = await startInvoiceBench()
  try {
    const worker = await bench.env.startWorker({ BENCH_LIMITS: NO_LIMITS })
    await runInvoiceBatch(bench, 0, [worker.ready.pid])
    const batch = await runInvoiceBatch(bench, invoices, [worker.ready.pid])
    const bc = batch.bcCalls / batch.invoices
    const basware = batch.baswareCalls / batch.invoices
    return {
      figure: bc,
      unit: 'BC calls/invoice',
      targetMet: bc <= TARGET_BC && basware <= TARGET_BASWARE && batch.failed === 0,
      notes:
        `Basware ${basware.toFixed(2)} calls/invoice beyond read pages (target ≤ ${TARGET_BASWARE}); ` +
        `${batch.bcCalls} BC calls and ${batch.baswareCalls} Basware writes (+${batch.baswareReadCalls} read ` +
        `pages) for ${batch.invoices} invoices, ${batch.failed} failed; Basware writes = claim (acknowledge) + ` +
        'transfer response per invoice',
      samples: [bc, basware],
    }
  } finally {
    await stopInvoiceBench(bench)
  }
}

/** Issue 8, scenario 5: remote calls per delivered invoice in a clean run (no retries, no faults). */
export const callsPerRecord: BenchScenario = {
  id: 'calls-per-record',
  title: 'Calls per record: Basware → BC invoices',
  workload:
    'The end-to-end-throughput setup (recipe invoice flow, both sandboxes in a child process, one bench worker, ' +
    "fsync on). After an untimed run over the demo seed invoices, both sandboxes' request stats are reset, 200 " +
    'invoices (50 with --quick) are seeded and one run transfers them. BC calls = every API request the BC ' +
    'sandbox counted (a $batch counts once); Basware calls = non-GET API requests except token requests; read ' +
    'pages (GETs) are reported apart. One clean run (the counts are deterministic, not timed).',
  target: `≤ ${TARGET_BC} BC calls per posted invoice and ≤ ${TARGET_BASWARE} Basware calls per transferred invoice`,
  run,
}

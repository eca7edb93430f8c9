import { loadavg } from 'node:os'
import { NO_LIMITS, startBenchEnvironment } from '../bench-environment.ts'
import { cpuBoundFlow, SPIN_ITERATIONS } from '../cpu-bound-flow.ts'
import { type InvoiceBatch, type InvoiceBench, runInvoiceBatch, stopInvoiceBench } from '../invoice-run.ts'
import { median } from '../median.ts'
import { machineBusyMs, processCpuMs, processTreeCpuMs } from '../proc-stats.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const TARGET_RATIO = 1.6

const sizes = (quick: boolean) => (quick ? { invoices: 60, pairs: 3 } : { invoices: 300, pairs: 5 })

interface Measured extends InvoiceBatch {
  workers: number
  /** CPU ms per invoice: bench workers, sandbox child, and everything else on the machine. */
  workerMs: number
  sandboxMs: number
  otherMs: number
}

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { invoices, pairs } = sizes(quick)
  const env = await startBenchEnvironment({ sandboxes: ['business-central', 'basware'] })
  const bench: InvoiceBench = { env, tenantId: '', flowId: '', delivered: 0 }
  try {
    const { tenantId, connections } = await env.tenant('bench')
    bench.tenantId = tenantId
    bench.flowId = await env.flow(tenantId, connections, cpuBoundFlow())
    const first = await env.startWorker({ BENCH_LIMITS: NO_LIMITS })
    const second = await env.startWorker({ BENCH_LIMITS: NO_LIMITS })
    const pids = [first.ready.pid, second.ready.pid]
    const secondChild = second.child
    // Both processes stay up (JIT-warm, pools open); a one-worker run stops the second with SIGSTOP
    // while the queue is empty, so it fetches nothing until SIGCONT.
    const batch = async (workers: 1 | 2): Promise<Measured> => {
      if (workers === 1) secondChild.kill('SIGSTOP')
      try {
        const machineBefore = machineBusyMs()
        const sandboxBefore = processTreeCpuMs(env.sandboxPid)
        const workerBefore = pids.reduce((t, pid) => t + processCpuMs(pid), 0)
        const measured = await runInvoiceBatch(bench, invoices, pids)
        const per = (ms: number) => ms / Math.max(1, measured.invoices)
        const workerMs = pids.reduce((t, pid) => t + processCpuMs(pid), 0) - workerBefore
        const sandboxMs = processTreeCpuMs(env.sandboxPid) - sandboxBefore
        const machineMs = machineBusyMs() - machineBefore
        return {
          ...measured,
          workers,
          workerMs: per(workerMs),
          sandboxMs: per(sandboxMs),
          otherMs: per(machineMs - workerMs - sandboxMs),
        }
      } finally {
        if (workers === 1) secondChild.kill('SIGCONT')
      }
    }
    // Warm-up: the demo seed's waiting invoices, then one small batch on each configuration.
    await runInvoiceBatch(bench, 0, pids)
    await batch(2)
    await batch(1)
    const ones: Measured[] = []
    const twos: Measured[] = []
    for (let i = 0; i < pairs; i++) {
      // Alternate which configuration goes first, so drift on the shared machine hits both alike.
      const order: (1 | 2)[] = i % 2 === 0 ? [1, 2] : [2, 1]
      for (const workers of order) (workers === 1 ? ones : twos).push(await batch(workers))
    }
    const ratios = ones.map((one, i) => twos[i]!.perSecond / one.perSecond)
    const ratio = median(ratios)
    const failed = [...ones, ...twos].reduce((n, b) => n + b.failed, 0)
    const cpu = (list: Measured[], key: 'workerMs' | 'sandboxMs' | 'otherMs') =>
      median(list.map((b) => b[key])).toFixed(1)
    return {
      figure: ratio,
      unit: '× (two workers ÷ one)',
      baseline: median(ones.map((b) => b.perSecond)),
      baselineLabel: 'one worker, invoices/s',
      ratio,
      targetMet: ratio >= TARGET_RATIO && failed === 0,
      notes:
        `two workers ${median(twos.map((b) => b.perSecond)).toFixed(0)} invoices/s vs one ` +
        `${median(ones.map((b) => b.perSecond)).toFixed(0)}; CPU ms per invoice (workers / sandbox / rest of ` +
        `machine incl. PostgreSQL): one worker ${cpu(ones, 'workerMs')} / ${cpu(ones, 'sandboxMs')} / ` +
        `${cpu(ones, 'otherMs')}, two workers ${cpu(twos, 'workerMs')} / ${cpu(twos, 'sandboxMs')} / ` +
        `${cpu(twos, 'otherMs')}; load average at the end ${loadavg()[0]!.toFixed(1)}; ${failed} failed; ${pairs} interleaved pairs of ${invoices} invoices`,
      samples: ratios,
    }
  } finally {
    await stopInvoiceBench(bench)
  }
}

/** Issue 8, scenario 7: one vs two `ferry worker` processes on a CPU-bound flow. */
export const scaleOut: BenchScenario = {
  id: 'scale-out',
  title: 'Scale-out: one vs two worker processes on a CPU-bound flow',
  workload:
    `The bc-basware invoice flow made CPU-bound (test/bench/cpu-bound-flow.ts): its mapping first spins a JSONata ` +
    `$reduce over ${SPIN_ITERATIONS} numbers (≈ 30 ms CPU per invoice), no post, no per-key order; deep insert ` +
    'into the BC sandbox and transfer response to Basware stay. BC and Basware sandboxes (demo seed, zero ' +
    'latency, limits off in the sandboxes and the workers) in one child process; embedded PostgreSQL, fsync on. Two bench worker processes ' +
    '(startService with workers, default concurrency) stay up; a one-worker run SIGSTOPs the second while the queue ' +
    'is empty. Per run: seed 300 invoices (60 with --quick), queue one API run, time until all settle. ' +
    'Warm-up: the demo seed invoices, one two-worker and one one-worker batch. Then 5 pairs (3 with --quick) ' +
    'of one-worker and two-worker runs, alternating which goes first; figure = median of per-pair ratios of ' +
    'invoices/s. CPU per invoice from /proc: worker processes, sandbox child, rest of machine (/proc/stat).',
  target: `two workers ≥ ${TARGET_RATIO}× one worker's throughput`,
  run,
}

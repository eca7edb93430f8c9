import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { INVOICE_FLOW } from './invoice-run.ts'
import { loadFlowManifest } from './load-flow-manifest.ts'

/** Iterations of the JSONata busy loop each record's mapping runs (≈ 30 ms of CPU on the bench machine, so the worker, not the sandboxes or PostgreSQL (≈ 5 ms per invoice together), is what two processes can share out). */
export const SPIN_ITERATIONS = 6000

/**
 * The bc-basware invoice flow made CPU-bound: its mapping first spins a JSONata `$reduce` over
 * {@link SPIN_ITERATIONS} numbers, and the cheap-to-serve parts stay (deep insert, transfer response)
 * while `then: [post]` and `order:` go, so the sandbox does little per record and no per-key FIFO
 * serialises deliveries across workers. The spin's result is unused; JSONata evaluates it anyway.
 */
export function cpuBoundFlow(): FlowManifest {
  const base = loadFlowManifest(INVOICE_FLOW)
  const { order: _order, trigger: _trigger, ...rest } = base
  const spin = `$reduce([1..${SPIN_ITERATIONS}], function($a, $i) { $a + ($i * 7) % 13 }, 0)`
  const { then: _then, ...target } = base.target
  return {
    ...rest,
    name: 'cpu-bound-invoices-to-bc',
    map: `(\n  $spin := ${spin};\n  ${String(base.map)}\n)`,
    target,
  } as FlowManifest
}

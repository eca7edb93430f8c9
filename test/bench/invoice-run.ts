import { countByState } from '../../runtime/store/records-store.ts'
import type { BenchEnvironment } from './bench-environment.ts'
import { startBenchEnvironment } from './bench-environment.ts'
import { loadFlowManifest } from './load-flow-manifest.ts'
import { processCpuMs } from './proc-stats.ts'
import { awaitSettled, settledCount } from './record-states.ts'

/** The bc-basware recipe's invoice flow (claim, deep insert, post, transfer response), as shipped. */
export const INVOICE_FLOW = 'manifests/recipes/bc-basware/invoices-to-bc.flow.yaml'

/** An environment with both sandboxes, one tenant and the recipe's invoice flow saved and enabled. */
export async function startInvoiceBench(options: { fsync?: boolean } = {}) {
  const env = await startBenchEnvironment({
    sandboxes: ['business-central', 'basware'],
    fsync: options.fsync,
  })
  const { tenantId, connections } = await env.tenant('bench')
  const flowId = await env.flow(tenantId, connections, loadFlowManifest(INVOICE_FLOW))
  return { env, tenantId, flowId, delivered: 0 }
}

/** A started {@link startInvoiceBench}. */
export type InvoiceBench = Awaited<ReturnType<typeof startInvoiceBench>>

/** What one timed batch of invoices measured. */
export interface InvoiceBatch {
  invoices: number
  seconds: number
  perSecond: number
  /** CPU ms of the worker processes (sandbox and PostgreSQL excluded) per invoice. */
  cpuMsPerInvoice: number
  failed: number
  bcCalls: number
  baswareCalls: number
  baswareReadCalls: number
}

function sum(values: Record<string, number>, keep: (route: string) => boolean): number {
  return Object.entries(values)
    .filter(([route]) => keep(route))
    .reduce((total, [, n]) => total + n, 0)
}

/**
 * Seeds `count` invoices waiting for transfer, queues one run of the flow and times it until every
 * new record is delivered or failed. Sandbox statistics are reset first, so the call counts are this
 * batch's. Call once untimed to transfer the demo seed's own invoices.
 */
export async function runInvoiceBatch(
  bench: InvoiceBench,
  count: number,
  pids: number[],
): Promise<InvoiceBatch> {
  const { env } = bench
  if (count > 0) await env.control('basware', '/documents', { count })
  await env.control('basware', '/stats/reset', {})
  await env.control('business-central', '/stats/reset', {})
  const before = await countByState(env.db, bench.flowId)
  const waiting = (await env.control('basware', '/documents?processingStatus=WaitingForTransfer')) as {
    count: number
  }
  const expected = waiting.count
  const cpuBefore = pids.reduce((total, pid) => total + processCpuMs(pid), 0)
  const started = process.hrtime.bigint()
  await env.runNow(bench.tenantId, bench.flowId)
  const after = await awaitSettled(env.db, bench.flowId, settledCount(before) + expected, 600_000)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpuMs = pids.reduce((total, pid) => total + processCpuMs(pid), 0) - cpuBefore
  const bc = (await env.control('business-central', '/stats')) as {
    requests: Record<string, number>
    batchOperations: Record<string, number>
  }
  const basware = (await env.control('basware', '/stats')) as { byRoute: Record<string, number> }
  return {
    invoices: expected,
    seconds,
    perSecond: expected / seconds,
    cpuMsPerInvoice: cpuMs / Math.max(1, expected),
    failed: (after.failed ?? 0) - (before.failed ?? 0),
    bcCalls: sum(bc.requests, () => true),
    baswareCalls: sum(basware.byRoute, (route) => !route.startsWith('GET ') && route !== 'POST /v1/tokens'),
    baswareReadCalls: sum(basware.byRoute, (route) => route.startsWith('GET ')),
  }
}

/** Stops what {@link startInvoiceBench} started. */
export async function stopInvoiceBench(bench: { env: BenchEnvironment }) {
  await bench.env.stop()
}

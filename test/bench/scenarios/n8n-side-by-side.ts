import { randomInt } from 'node:crypto'
import { closedLoop, type RequestFor, type SentRequest } from '../closed-loop.ts'
import { startFerryHook } from '../ferry-hook-peer.ts'
import { type HttpSink, startHttpSink } from '../http-sink.ts'
import { median } from '../median.ts'
import { ensureN8n } from '../n8n-install.ts'
import { startN8n } from '../n8n-peer.ts'
import { percentile } from '../percentile.ts'
import { machineBusyMs, processTreeCpuMs } from '../proc-stats.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const CONCURRENCY = 20
const TARGET_RATE_RATIO = 10
const DRAIN_MS = 60_000
const sizes = (quick: boolean) => (quick ? { seconds: 5, rounds: 1 } : { seconds: 20, rounds: 3 })

/** What one side did in one measured window. */
interface Window {
  /** Records that reached the sink ÷ seconds from the first request to the last arrival. */
  perSecond: number
  /** Request in → sink received, ms, per delivered record. */
  endToEnd: number[]
  answered: number
  errors: number
  /** Answered 2xx but not at the sink within {@link DRAIN_MS} after the clients stopped. */
  late: number
  processCpuMsPerRecord: number
  machineCpuMsPerRecord: number
}

function payload(key: string): string {
  return JSON.stringify({
    invoiceNumber: key,
    supplierCode: `V${randomInt(1000)}`,
    total: randomInt(100_000) / 100,
  })
}

async function drained(sink: HttpSink, sent: SentRequest[]): Promise<void> {
  const deadline = Date.now() + DRAIN_MS
  const waiting = sent.filter((s) => s.status >= 200 && s.status < 300).map((s) => s.key)
  while (waiting.some((key) => !sink.received.has(key)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50))
}

async function measure(
  sink: HttpSink,
  pid: number,
  prefix: string,
  seconds: number,
  requestFor: RequestFor,
): Promise<Window> {
  const cpuBefore = processTreeCpuMs(pid)
  const machineBefore = machineBusyMs()
  // A client's request is done when its record is at the sink, on both sides: n8n answers only then
  // (its webhook responds with the last node), Ferry answers at once with the mapped record and
  // delivers afterwards — waiting for the answer alone would let Ferry's backlog grow without bound.
  const sent = await closedLoop({
    concurrency: CONCURRENCY,
    seconds,
    prefix,
    requestFor,
    settled: (key) => sink.arrival(key),
    settleMs: DRAIN_MS,
  })
  await drained(sink, sent)
  const cpu = processTreeCpuMs(pid) - cpuBefore
  const machine = machineBusyMs() - machineBefore
  const ok = sent.filter((s) => s.status >= 200 && s.status < 300)
  const arrivals = ok.flatMap((s) => {
    const at = sink.received.get(s.key)
    return at === undefined ? [] : [{ sent: s.sentAt, at }]
  })
  const first = Math.min(...sent.map((s) => s.sentAt))
  const last = Math.max(first, ...arrivals.map((a) => a.at))
  const delivered = Math.max(1, arrivals.length)
  return {
    perSecond: arrivals.length === 0 ? 0 : arrivals.length / ((last - first) / 1000),
    endToEnd: arrivals.map((a) => a.at - a.sent),
    answered: ok.length,
    errors: sent.length - ok.length,
    late: ok.length - arrivals.length,
    processCpuMsPerRecord: cpu / delivered,
    machineCpuMsPerRecord: machine / delivered,
  }
}

/** A percentile that is NaN, not an exception, when nothing reached the sink. */
const pct = (values: number[], p: number) => (values.length === 0 ? Number.NaN : percentile(values, p))

function summary(name: string, windows: Window[]): string {
  const all = windows.flatMap((w) => w.endToEnd)
  const sum = (f: (w: Window) => number) => windows.reduce((n, w) => n + f(w), 0)
  return (
    `${name}: ${median(windows.map((w) => w.perSecond)).toFixed(0)} req/s, end-to-end p50 ` +
    `${pct(all, 50).toFixed(1)} ms / p99 ${pct(all, 99).toFixed(1)} ms, ` +
    `${median(windows.map((w) => w.processCpuMsPerRecord)).toFixed(2)} ms process CPU and ` +
    `${median(windows.map((w) => w.machineCpuMsPerRecord)).toFixed(2)} ms machine CPU per record, ` +
    `${sum((w) => w.errors)} errors, ${sum((w) => w.late)} answered but not at the sink ${DRAIN_MS / 1000} s after the clients stopped`
  )
}

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { seconds, rounds } = sizes(quick)
  const bin = await ensureN8n((line) => process.stdout.write(`  ${line}\n`))
  const sink = await startHttpSink()
  const ferry = await startFerryHook(sink.url)
  try {
    const n8n = await startN8n(bin, sink.url)
    try {
      const ferryRequest: RequestFor = (key) => {
        const body = payload(key)
        return { url: ferry.webhookUrl, headers: ferry.headersFor(body), body }
      }
      const n8nRequest: RequestFor = (key) => ({ url: n8n.webhookUrl, headers: {}, body: payload(key) })
      // Warm-up: JIT, pools, n8n's and Ferry's caches; 3 s each, not counted.
      await measure(sink, ferry.pid, 'ferry-warm', 3, ferryRequest)
      await measure(sink, n8n.pid, 'n8n-warm', 3, n8nRequest)
      const ferryWindows: Window[] = []
      const n8nWindows: Window[] = []
      for (let round = 0; round < rounds; round++) {
        const ferryFirst = round % 2 === 0
        const one = async (side: 'ferry' | 'n8n') =>
          side === 'ferry'
            ? ferryWindows.push(await measure(sink, ferry.pid, `ferry-${round}`, seconds, ferryRequest))
            : n8nWindows.push(await measure(sink, n8n.pid, `n8n-${round}`, seconds, n8nRequest))
        await one(ferryFirst ? 'ferry' : 'n8n')
        await one(ferryFirst ? 'n8n' : 'ferry')
      }
      const ferryRate = median(ferryWindows.map((w) => w.perSecond))
      const n8nRate = median(n8nWindows.map((w) => w.perSecond))
      const ferryP50 = pct(
        ferryWindows.flatMap((w) => w.endToEnd),
        50,
      )
      const n8nP50 = pct(
        n8nWindows.flatMap((w) => w.endToEnd),
        50,
      )
      const lost = [...ferryWindows, ...n8nWindows].reduce((n, w) => n + w.late + w.errors, 0)
      const states = await ferry.states()
      return {
        figure: ferryRate,
        unit: 'req/s',
        baseline: n8nRate,
        baselineLabel: 'n8n 1.123.81, same flow',
        ratio: ferryRate / n8nRate,
        targetMet: ferryRate >= TARGET_RATE_RATIO * n8nRate && ferryP50 * 10 <= n8nP50 && lost === 0,
        notes:
          `${summary('Ferry', ferryWindows)}; ${summary('n8n', n8nWindows)}; p50 ratio ` +
          `${(ferryP50 / n8nP50).toFixed(3)} (target ≤ 0.1); Ferry's records by state ${JSON.stringify(states)}; ` +
          `${rounds} rounds of ${seconds} s at ${CONCURRENCY} clients, alternating which goes first`,
        samples: ferryWindows.map((w) => w.perSecond),
      }
    } finally {
      await n8n.stop()
    }
  } finally {
    await ferry.stop()
    await sink.close()
  }
}

/** Issue 17, target 6: the same trivial webhook → map → HTTP POST flow in Ferry and in n8n. */
export const n8nSideBySide: BenchScenario = {
  id: 'n8n-side-by-side',
  title: 'n8n side by side: webhook → map three fields → POST to a local sink',
  peer: true,
  workload:
    'Runs only with --peers. One local HTTP sink in the benchmark process notes when each record arrives. ' +
    'Ferry: test/bench/fixtures/flows/invoices-to-sink.flow.yaml (http-webhook source, signed POST, ' +
    'identity invoiceNumber, map {number, vendor, amount}, create on the declared bench-sink connector), one ' +
    'bench-service process (startService with workers + webhook ingress), embedded PostgreSQL with fsync on, ' +
    'the ledger as always. n8n 1.123.81 (installed into ~/.cache/ferry-bench/n8n on first use): Webhook ' +
    '(responds with the last node) → Set (the same three fields) → HTTP Request POST to the sink, SQLite, ' +
    'executions saved as by default, legacy expression engine, no task runners. Per side and round: 20 ' +
    'closed-loop clients (node:http, keep-alive) POST {invoiceNumber, supplierCode, total} with unique ' +
    'numbers for 20 s (5 s with --quick), each sending its next request once its record is at the sink (n8n ' +
    'answers only then; Ferry answers at once and delivers afterwards), then wait until every answered ' +
    'request reached the sink (≤ 60 s). ' +
    'req/s = records at the sink ÷ (last arrival − first request); end-to-end = sink arrival − request ' +
    'sent, p50 over all rounds. 3 s warm-up per side, then 3 rounds (1 with --quick), alternating which side goes first.',
  target: `Ferry ≥ ${TARGET_RATE_RATIO}× n8n's req/s and end-to-end p50 ≤ 1/10 of n8n's`,
  run,
}

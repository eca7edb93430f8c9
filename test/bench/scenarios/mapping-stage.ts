import { readFileSync } from 'node:fs'
import jsonata from 'jsonata'
import { compileMapping } from '../../../core/mapping/compile-mapping.ts'
import { mappingFunctions } from '../../../core/mapping/functions/mapping-functions.ts'
import { generateBaswareDocuments, invoiceLookupTables } from '../fixtures/basware-invoices.ts'
import { median } from '../median.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const SOURCE = readFileSync(new URL('../fixtures/basware-invoice-to-bc.jsonata', import.meta.url), 'utf8')
const TARGET_RATIO = 0.9

const sizes = (quick: boolean) => (quick ? { records: 1000, runs: 3 } : { records: 2000, runs: 7 })

const BLOCK = 25

/** Maps every record once, one after another (one core), and returns the seconds it took. */
async function timeBlock(
  records: readonly unknown[],
  map: (record: unknown) => Promise<unknown>,
): Promise<number> {
  const started = process.hrtime.bigint()
  for (const record of records) await map(record)
  return Number(process.hrtime.bigint() - started) / 1e9
}

/**
 * One run: every record through both paths, interleaved in blocks of {@link BLOCK} records and
 * alternating which goes first, so load from other processes on a shared machine hits both alike.
 */
async function pairedRun(
  records: readonly unknown[],
  ferry: (record: unknown) => Promise<unknown>,
  bare: (record: unknown) => Promise<unknown>,
): Promise<{ ferry: number; bare: number }> {
  let ferrySeconds = 0
  let bareSeconds = 0
  for (let start = 0, i = 0; start < records.length; start += BLOCK, i++) {
    const block = records.slice(start, start + BLOCK)
    if (i % 2 === 0) {
      ferrySeconds += await timeBlock(block, ferry)
      bareSeconds += await timeBlock(block, bare)
    } else {
      bareSeconds += await timeBlock(block, bare)
      ferrySeconds += await timeBlock(block, ferry)
    }
  }
  return { ferry: records.length / ferrySeconds, bare: records.length / bareSeconds }
}

async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { records: count, runs } = sizes(quick)
  const documents = generateBaswareDocuments(count)
  const tables = invoiceLookupTables()

  const ferry = compileMapping(SOURCE)
  const lookup = (table: string, key: unknown): unknown => tables[table]?.get(String(key))
  const viaFerry = (doc: unknown) =>
    ferry.evaluate(doc, { lookup, recordKey: (doc as { invoiceId: string }).invoiceId })

  // The same expression, compiled by plain jsonata() without guards, with the same functions as plain
  // bindings: the difference is exactly Ferry's stage (guards, context, lookup rules, normalisation).
  const bare = jsonata(SOURCE)
  const { bcDate, truncate, vnd, roundMoney } = mappingFunctions
  const bindings = {
    lookupTable: (table: string, key: unknown, fallback?: unknown) =>
      tables[table]?.get(String(key)) ?? fallback,
    bcDate,
    truncate,
    vnd,
    roundMoney,
  }
  const viaBare = (doc: unknown) => bare.evaluate(doc, bindings)

  for (const doc of documents.slice(0, 20)) {
    const [a, b] = [JSON.stringify(await viaFerry(doc)), JSON.stringify(await viaBare(doc))]
    if (a !== b) throw new Error(`Ferry and bare JSONata disagree on ${String(doc.invoiceId)}`)
  }
  // Warm-up: let V8 optimise both paths before anything is timed.
  for (let i = 0; i < 2; i++) await pairedRun(documents, viaFerry, viaBare)

  const ferryRates: number[] = []
  const bareRates: number[] = []
  const ratios: number[] = []
  for (let i = 0; i < runs; i++) {
    const rates = await pairedRun(documents, viaFerry, viaBare)
    ferryRates.push(rates.ferry)
    bareRates.push(rates.bare)
    ratios.push(rates.ferry / rates.bare)
  }
  const ratio = median(ratios)
  return {
    figure: median(ferryRates),
    unit: 'records/s',
    baseline: median(bareRates),
    baselineLabel: 'bare jsonata',
    ratio,
    targetMet: ratio >= TARGET_RATIO,
    notes: `ratio is the median of ${runs} paired runs; ${count} records per run`,
    samples: ferryRates,
  }
}

/** Issue 8, scenario 1: Ferry's mapping stage against bare compiled JSONata on the same invoice mapping. */
export const mappingStage: BenchScenario = {
  id: 'mapping-stage',
  title: 'Mapping stage: Basware invoice → BC purchase invoice',
  workload:
    'test/bench/fixtures/basware-invoice-to-bc.jsonata (header + 5 coding rows → BC purchaseInvoice deep insert; ' +
    '3 $lookupTable calls per row + 1 for the header, $bcDate, $truncate, $vnd/$roundMoney) over 2,000 pre-generated ' +
    'Basware documents (generateBaswareDocuments(2000, seed 42); 1,000 with --quick), mapped one after another ' +
    'on one core. Ferry = compileMapping(src).evaluate(doc, { lookup, recordKey }) with default guards ' +
    '(timeout 1000 ms, depth 200); baseline = jsonata(src).evaluate(doc, bindings) with no guards and the ' +
    'same functions as plain bindings. 2 warm-up runs, then 7 timed runs (3 with --quick); each run maps ' +
    'every document both ways, interleaved in blocks of 25 documents, alternating which goes first. ' +
    'Figures are medians over runs; the ratio is the median of per-run ratios.',
  target: 'Ferry ≥ 90 % of bare JSONata',
  run,
}

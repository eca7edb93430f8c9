import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import jsonata from 'jsonata'
import { mappingFunctions } from '../../../core/mapping/functions/mapping-functions.ts'
import type { LookupResolver } from '../../../core/mapping/mapping-context.ts'
import { MappingPool } from '../../../runtime/mapping-pool/mapping-pool.ts'
import { pooledMapping } from '../../../runtime/mapping-pool/pooled-mapping.ts'
import { generateBaswareDocuments, invoiceLookupTables } from '../fixtures/basware-invoices.ts'
import { median } from '../median.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const SOURCE = readFileSync(new URL('../fixtures/basware-invoice-to-bc.jsonata', import.meta.url), 'utf8')
const TARGET_RATIO = 0.9

const sizes = (quick: boolean) => (quick ? { records: 1000, runs: 3 } : { records: 2000, runs: 7 })

/** Records per hop to the pool: a delivery chunk or a read page carries this many. */
const BLOCK = 100

/** Maps a block of records and returns the seconds it took. */
async function timeBlock(records: readonly unknown[], map: MapBlock): Promise<number> {
  const started = process.hrtime.bigint()
  await map(records)
  return Number(process.hrtime.bigint() - started) / 1e9
}

type MapBlock = (records: readonly unknown[]) => Promise<unknown>

/**
 * One run: every record through both paths, interleaved in blocks of {@link BLOCK} records and
 * alternating which goes first, so load from other processes on a shared machine hits both alike.
 */
async function pairedRun(
  records: readonly unknown[],
  ferry: MapBlock,
  bare: MapBlock,
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

  // Ferry's path as flows take it: a block goes to the mapping pool in one hop; the child evaluates it
  // with Ferry's guards and asks this process for the lookups, a turn's worth per message.
  const pool = new MappingPool()
  const ferry = pooledMapping(() => pool, SOURCE)
  // As the runtime's resolver (runtime/engine/lookup-tables.ts) for recipe mapping tables: keys one by
  // one, or a table's rows, which are the whole table (the child answers misses itself).
  const lookup: LookupResolver = Object.assign(
    (table: string, key: unknown): unknown => tables[table]?.get(String(key)),
    { rows: async (table: string) => tables[table], complete: () => true },
  )
  const viaFerry: MapBlock = async (docs) => {
    const outcomes = await ferry.evaluateMany(
      docs.map((doc) => ({ input: doc, recordKey: (doc as { invoiceId: string }).invoiceId })),
      lookup,
    )
    return outcomes.map((o) => {
      if (!o.ok) throw o.error
      return o.value
    })
  }

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
  const viaBare: MapBlock = async (docs) => {
    const out = []
    for (const doc of docs) out.push(await bare.evaluate(doc, bindings))
    return out
  }

  const ferryRates: number[] = []
  const bareRates: number[] = []
  const ratios: number[] = []
  try {
    const sample = documents.slice(0, 20)
    const [a, b] = [(await viaFerry(sample)) as unknown[], (await viaBare(sample)) as unknown[]]
    for (const [i, doc] of sample.entries())
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i]))
        throw new Error(`Ferry and bare JSONata disagree on ${String(doc.invoiceId)}`)
    // Warm-up: let V8 optimise both paths (the child's too) before anything is timed.
    for (let i = 0; i < 2; i++) await pairedRun(documents, viaFerry, viaBare)
    for (let i = 0; i < runs; i++) {
      const rates = await pairedRun(documents, viaFerry, viaBare)
      ferryRates.push(rates.ferry)
      bareRates.push(rates.bare)
      ratios.push(rates.ferry / rates.bare)
    }
  } finally {
    await pool.close()
  }
  const ratio = median(ratios)
  return {
    figure: median(ferryRates),
    unit: 'records/s',
    baseline: median(bareRates),
    baselineLabel: 'bare jsonata',
    ratio,
    targetMet: ratio >= TARGET_RATIO,
    notes: `ratio is the median of ${runs} paired runs; ${count} records per run, ${BLOCK} per hop to the pool; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`,
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
    'Basware documents (generateBaswareDocuments(2000, seed 42); 1,000 with --quick). Ferry = the path flows ' +
    'take: pooledMapping(src).evaluateMany(block of 100 documents, lookup) — one hop to each child of a ' +
    'MappingPool of the default size (2; the block shared between them) that evaluates with default guards (timeout 1000 ms, depth 200) and asks ' +
    'this process for lookups, a turn of its event loop per message, the first question per table bringing ' +
    "the table's rows; later blocks bring the rows of the tables used before (by id once a child has them), " +
    'whole tables as recipe mapping tables are, so no lookup is asked (as the runtime does); baseline = jsonata(src).evaluate(doc, ' +
    'bindings) in this process, one document after another, with no guards and the same functions as plain ' +
    'bindings. 2 warm-up runs, then 7 timed runs (3 with --quick); each run maps every document both ways, ' +
    'interleaved in blocks of 100 documents, alternating which goes first. ' +
    'Figures are medians over runs; the ratio is the median of per-run ratios.',
  target: 'Ferry ≥ 90 % of bare JSONata',
  run,
}

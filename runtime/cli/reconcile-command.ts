import { writeFile } from 'node:fs/promises'
import type { ApiClient } from './api-client.ts'
import type { ApiReconciliation, ApiReconciliationItem } from './api-types.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { formatTable } from './format-table.ts'
import { API_OPTIONS, parseCommandArgs, positiveInteger } from './parse-command-args.ts'

const USAGE = `usage: ferry reconcile <recipe|flow> --from <yyyy-mm-dd> --to <yyyy-mm-dd> [--csv <file>] [--limit N]
       ferry reconcile --id <reconciliationId> [--csv <file>] [--limit N]
  --to is exclusive: November is --from 2026-11-01 --to 2026-12-01. Exit 1 when anything is not matched.`

const CLASSES = ['matched', 'differs', 'not_in_target', 'not_from_ferry', 'posted_twice'] as const
const HEADERS = ['MATCHED', 'DIFFERS', 'NOT IN TARGET', 'NOT FROM FERRY', 'POSTED TWICE']
const UNRECONCILED = CLASSES.filter((c) => c !== 'matched').join(',')

async function scopeOf(client: ApiClient, name: string): Promise<{ flow: string } | { recipe: string }> {
  const flows = await client.listFlows()
  const flow = flows.find((f) => f.id === name || f.name === name)
  if (flow) return { flow: flow.id }
  if (flows.some((f) => f.recipe === name)) return { recipe: name }
  const recipes = [...new Set(flows.flatMap((f) => (f.recipe ? [f.recipe] : [])))]
  throw new CliError(
    `no recipe or flow "${name}" for this key; recipes: ${recipes.join(', ') || '(none)'}; flows: ${flows.map((f) => f.name).join(', ') || '(none)'}`,
  )
}

async function waitUntilFinished(client: ApiClient, id: string, io: CliIo): Promise<ApiReconciliation> {
  for (;;) {
    const row = await client.getReconciliation(id)
    if (row.state === 'done' || row.state === 'failed') return row
    await new Promise((resolve) => setTimeout(resolve, io.pollMs ?? 1000))
  }
}

const amountText = (item: ApiReconciliationItem) =>
  item.amount === undefined ? '' : `${item.amount.toLocaleString('en-US')} ${item.currency ?? ''}`.trim()

/** What is wrong with an item, in a few words. */
function whatText(item: ApiReconciliationItem): string {
  const differences = item.differences
    .filter((d) => d.kind === 'mistake')
    .map((d) => `${d.field} ${d.expected ?? '(none)'} → ${d.actual ?? '(none)'}`)
  if (item.class === 'posted_twice')
    return `in the target ${item.targetNumbers.length} times: ${item.targetNumbers.join(', ')}`
  if (item.class === 'not_from_ferry')
    return `in the target as ${item.targetNumbers.join(', ') || 'a document'}; no source document`
  if (item.class === 'not_in_target') return 'approved at the source, not in the target'
  return differences.join('; ')
}

/** `ferry reconcile`: reconciles a recipe or flow over a period, prints the summary and what differs. */
export async function reconcileCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'reconcile',
    argv,
    {
      ...API_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      id: { type: 'string' },
      csv: { type: 'string' },
      limit: { type: 'string' },
    },
    USAGE,
  )
  const limit = positiveInteger('reconcile', 'limit', values.limit, 20)
  const client = apiClientFor(io, values)
  let id = values.id
  if (!id) {
    if (positionals.length !== 1 || !values.from || !values.to)
      throw new CliError(`ferry reconcile: name one recipe or flow and give --from and --to\n${USAGE}`, 2)
    const started = await client.reconcile({
      ...(await scopeOf(client, positionals[0]!)),
      from: values.from,
      to: values.to,
    })
    id = started.id
  } else if (positionals.length > 0)
    throw new CliError(`ferry reconcile: --id takes no recipe or flow\n${USAGE}`, 2)

  const row = await waitUntilFinished(client, id, io)
  const scope = row.recipe ? `recipe ${row.recipe}` : `flow ${row.flows[0]?.flowName ?? row.flowId}`
  io.out(
    `reconciliation ${row.id} of ${scope}, ${row.periodFrom} to ${row.periodTo} (exclusive): ${row.state}`,
  )
  if (row.state === 'failed')
    throw new CliError(`the reconciliation failed: ${row.error?.message ?? 'no reason recorded'}`)

  const count = (counts: Record<string, number>) => CLASSES.map((c) => String(counts[c] ?? 0))
  const rows = row.flows.map((f) => [
    f.flowName,
    f.targetView === 'read' ? 'read' : 'ferry records',
    ...count(f.counts),
  ])
  if (row.flows.length > 1) rows.push(['TOTAL', '', ...count(row.counts)])
  for (const line of formatTable(['FLOW', 'TARGET', ...HEADERS], rows)) io.out(line)

  const unreconciled = CLASSES.filter((c) => c !== 'matched').reduce((n, c) => n + (row.counts[c] ?? 0), 0)
  if (unreconciled > 0) {
    const { items } = await client.listReconciliationItems(row.id, { class: UNRECONCILED, limit })
    const names = new Map(row.flows.map((f) => [f.flowId, f.flowName]))
    io.out('')
    io.out(
      unreconciled > items.length ? `first ${items.length} of ${unreconciled} not matched:` : 'not matched:',
    )
    const table = items.map((i) => [
      names.get(i.flowId) ?? i.flowId,
      i.class,
      i.party ?? '',
      i.reference ?? '',
      i.date ?? '',
      amountText(i),
      whatText(i),
    ])
    for (const line of formatTable(['FLOW', 'CLASS', 'PARTY', 'REFERENCE', 'DATE', 'AMOUNT', 'WHAT'], table))
      io.out(line)
  }
  if (values.csv) {
    await writeFile(values.csv, await client.reconciliationCsv(row.id))
    io.out(`CSV written to ${values.csv}`)
  } else io.out(`CSV: ferry reconcile --id ${row.id} --csv <file>`)
  return unreconciled > 0 ? 1 : 0
}

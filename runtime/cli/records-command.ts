import { RECORD_STATES } from '../../core/record/record-state.ts'
import type { ApiRecord, ApiRecordDetail } from './api-types.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { formatDuration } from './format-duration.ts'
import { formatTable } from './format-table.ts'
import { formatTime } from './format-time.ts'
import { ledgerSummary } from './ledger-summary.ts'
import { API_OPTIONS, parseCommandArgs, positiveInteger } from './parse-command-args.ts'
import { parseSince } from './parse-since.ts'
import { resolveFlow } from './resolve-flow.ts'

const STATES: readonly string[] = RECORD_STATES

const USAGE = `usage: ferry records [--flow <id|name>] [--state S] [--key K] [--since 2h|ISO] [--limit N]
       ferry records <recordId>            the record with its whole ledger
  states: ${STATES.join(', ')}`

const errorText = (r: ApiRecord, max = 60) => {
  const text = r.error?.message ?? ''
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function detailLines(detail: ApiRecordDetail, flowName: string): string[] {
  const r = detail.record
  const lines = [
    `record   ${r.id}`,
    `flow     ${flowName} (version ${r.flowVersion})${r.runId ? `  run ${r.runId}` : ''}`,
    `source   ${r.sourceKey} @ ${r.sourceVersion}`,
    `state    ${r.state} after ${r.attempts} attempt(s), updated ${formatTime(r.updatedAt)}`,
  ]
  if (r.targetId || r.targetNumber)
    lines.push(`target   ${[r.targetNumber, r.targetId && `(id ${r.targetId})`].filter(Boolean).join(' ')}`)
  if (r.error?.message) lines.push(`error    ${r.error.kind ? `${r.error.kind}: ` : ''}${r.error.message}`)
  lines.push('', 'ledger:')
  const rows = detail.ledger.map((e) => [
    formatTime(e.at),
    e.type,
    String(e.attempt),
    e.durationMs === null ? '' : formatDuration(e.durationMs / 1000),
    ledgerSummary(e.data),
  ])
  return [...lines, ...formatTable(['AT', 'STEP', 'ATTEMPT', 'TOOK', 'SUMMARY'], rows)]
}

/** `ferry records`: a table of records by flow, state, key and time, or one record with its ledger. */
export async function recordsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'records',
    argv,
    {
      ...API_OPTIONS,
      flow: { type: 'string' },
      state: { type: 'string' },
      key: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
    },
    USAGE,
  )
  const limit = positiveInteger('records', 'limit', values.limit, 50)
  if (limit > 500) throw new CliError('ferry records: --limit is at most 500', 2)
  if (values.state && !STATES.includes(values.state))
    throw new CliError(
      `ferry records: --state must be one of ${STATES.join(', ')} (got "${values.state}")`,
      2,
    )
  if (positionals.length > 1) throw new CliError(`ferry records: one record id at most\n${USAGE}`, 2)
  const since = values.since ? parseSince(values.since, io.now?.() ?? new Date()) : undefined
  const client = apiClientFor(io, values)
  const flows = new Map((await client.listFlows()).map((f) => [f.id, f.name]))
  if (positionals[0]) {
    const detail = await client.getRecord(positionals[0])
    for (const line of detailLines(detail, flows.get(detail.record.flowId) ?? detail.record.flowId))
      io.out(line)
    return 0
  }
  const flowId = values.flow ? (await resolveFlow(client, values.flow)).id : undefined
  const page = await client.listRecords({ flowId, state: values.state, key: values.key, from: since, limit })
  const rows = page.items.map((r) => [
    r.id,
    flows.get(r.flowId) ?? r.flowId,
    r.sourceKey,
    r.state,
    String(r.attempts),
    r.targetNumber ?? r.targetId ?? '',
    formatTime(r.updatedAt),
    errorText(r),
  ])
  for (const line of formatTable(
    ['RECORD', 'FLOW', 'KEY', 'STATE', 'TRIES', 'TARGET', 'UPDATED', 'ERROR'],
    rows,
  ))
    io.out(line)
  if (page.nextCursor) io.out(`(more: raise --limit or narrow with --since/--state/--key)`)
  return 0
}

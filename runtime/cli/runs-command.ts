import type { ApiClient } from './api-client.ts'
import type { ApiFlow, ApiRun } from './api-types.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { followRun, runErrorText, runProgressState } from './follow-run.ts'
import { formatDuration } from './format-duration.ts'
import { formatTable } from './format-table.ts'
import { formatTime } from './format-time.ts'
import { API_OPTIONS, parseCommandArgs, positiveInteger } from './parse-command-args.ts'
import { formatCounts, renderProgress } from './render-progress.ts'
import { resolveFlow } from './resolve-flow.ts'

const USAGE = `usage: ferry runs [--flow <id|name>] [--limit N]     recent runs, newest first
       ferry runs <runId> [--watch]                  one run; --watch follows it live until it ends`

/** What kind of run: its trigger, with backfills named as such. */
const kindOf = (run: ApiRun) => (run.scope.startsWith('backfill:') ? 'backfill' : run.trigger)

function durationOf(run: ApiRun, now: Date): string {
  const end = run.finishedAt ? new Date(run.finishedAt) : now
  const text = formatDuration((end.getTime() - new Date(run.startedAt).getTime()) / 1000)
  return run.finishedAt ? text : `${text}…`
}

/** The newest runs of the given flows, each with its progress (the list route has no record counts). */
async function recentRuns(client: ApiClient, flows: ApiFlow[], limit: number): Promise<ApiRun[]> {
  const lists = await Promise.all(flows.map((f) => client.listRuns(f.id, limit)))
  const newest = lists
    .flat()
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id))
    .slice(0, limit)
  return Promise.all(newest.map((r) => client.getRun(r.id)))
}

/** `ferry runs`: a table of recent runs, or one run (live with --watch). */
export async function runsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'runs',
    argv,
    { ...API_OPTIONS, flow: { type: 'string' }, limit: { type: 'string' }, watch: { type: 'boolean' } },
    USAGE,
  )
  const limit = positiveInteger('runs', 'limit', values.limit, 20)
  if (positionals.length > 1) throw new CliError(`ferry runs: one run id at most\n${USAGE}`, 2)
  const client = apiClientFor(io, values)
  const now = io.now?.() ?? new Date()
  const runId = positionals[0]
  if (runId) {
    if (values.watch) return followRun(client, runId, io)
    const run = await client.getRun(runId)
    const flow = await client.getFlow(run.flowId)
    io.out(renderProgress(runProgressState(run, flow.name), { tty: false }))
    io.out(
      `kind ${kindOf(run)} · state ${run.state} · version ${run.flowVersion} · started ${formatTime(run.startedAt)} · ${durationOf(run, now)}`,
    )
    if (run.state === 'failed') io.out(`error: ${runErrorText(run.error)}`)
    return 0
  }
  if (values.watch) throw new CliError(`ferry runs: --watch needs a run id\n${USAGE}`, 2)
  const flows = values.flow ? [await resolveFlow(client, values.flow)] : await client.listFlows()
  const names = new Map(flows.map((f) => [f.id, f.name]))
  const runs = await recentRuns(client, flows, limit)
  const rows = runs.map((r) => [
    r.id,
    names.get(r.flowId) ?? r.flowId,
    kindOf(r),
    r.state,
    formatCounts(r.progress?.counts ?? {}),
    formatTime(r.startedAt),
    durationOf(r, now),
  ])
  for (const line of formatTable(['RUN', 'FLOW', 'KIND', 'STATE', 'RECORDS', 'STARTED', 'DURATION'], rows))
    io.out(line)
  return 0
}

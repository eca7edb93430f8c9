import type { ApiClient } from './api-client.ts'
import type { ApiRun } from './api-types.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { followRun } from './follow-run.ts'
import { formatTable } from './format-table.ts'
import { API_OPTIONS, parseCommandArgs } from './parse-command-args.ts'
import { resolveFlow } from './resolve-flow.ts'

const USAGE = `usage: ferry flows                                          the tenant's flows
       ferry flows run <flow> [--no-watch]                   run now, then follow the run
       ferry flows backfill <flow> --from <ISO> --to <ISO> [--no-watch]   read [from, to) beside the schedule`

function isoArg(flag: string, text: string | undefined): string {
  if (!text) throw new CliError(`ferry flows backfill: --${flag} is required\n${USAGE}`, 2)
  const at = Date.parse(text)
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(text))
    throw new CliError(`ferry flows backfill: --${flag} must be an ISO date or date-time (got "${text}")`, 2)
  return new Date(at).toISOString()
}

/**
 * Waits for the run a request started: the API answers "queued" without a run id, so the run is the
 * first one of the flow that `matches` (the backfill's scope, or a live run that was not there before).
 */
async function startedRun(
  client: ApiClient,
  flowId: string,
  matches: (run: ApiRun) => boolean,
  io: CliIo,
): Promise<ApiRun> {
  let told = false
  for (;;) {
    const run = (await client.listRuns(flowId, 20)).find(matches)
    if (run) return run
    if (!told) io.out('queued; waiting for a worker to start the run…')
    told = true
    await new Promise((r) => setTimeout(r, io.pollMs ?? 1000))
  }
}

/** `ferry flows`: list flows, or start a run or a backfill through the API and follow it. */
export async function flowsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'flows',
    argv,
    { ...API_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, 'no-watch': { type: 'boolean' } },
    USAGE,
  )
  const [action = 'list', name, ...rest] = positionals
  if (!['list', 'run', 'backfill'].includes(action))
    throw new CliError(`ferry flows: unknown action "${action}"\n${USAGE}`, 2)
  if (action !== 'list' && (!name || rest.length > 0))
    throw new CliError(`ferry flows ${action}: name exactly one flow\n${USAGE}`, 2)
  const window =
    action === 'backfill' ? { from: isoArg('from', values.from), to: isoArg('to', values.to) } : undefined
  const client = apiClientFor(io, values)
  if (action === 'list') {
    const rows = (await client.listFlows()).map((f) => [
      f.id,
      f.name,
      f.enabled ? 'enabled' : 'disabled',
      String(f.currentVersion),
      f.recipe ?? '',
    ])
    for (const line of formatTable(['FLOW', 'NAME', 'STATE', 'VERSION', 'RECIPE'], rows)) io.out(line)
    return 0
  }
  const flow = await resolveFlow(client, name!)
  let matches: (run: ApiRun) => boolean
  if (window) {
    const queued = await client.backfill(flow.id, window)
    io.out(`backfill of ${flow.name} over [${window.from}, ${window.to}) queued (scope ${queued.scope})`)
    matches = (run) => run.scope === queued.scope
  } else {
    const before = new Set((await client.listRuns(flow.id, 50)).map((r) => r.id))
    const queued = await client.runFlow(flow.id)
    io.out(`run of ${flow.name} ${queued.queued ? 'queued' : 'already queued: joining it'}`)
    matches = (run) => run.scope === 'live' && !before.has(run.id)
  }
  if (values['no-watch']) return 0
  const run = await startedRun(client, flow.id, matches, io)
  io.out(`following run ${run.id} (Ctrl-C stops watching; the run goes on)`)
  return followRun(client, run.id, io)
}

import type { ApiClient } from './api-client.ts'
import type { ApiRecordFilter } from './api-types.ts'
import { CliError } from './cli-error.ts'
import { apiClientFor, type CliIo } from './cli-io.ts'
import { followRecords } from './follow-records.ts'
import { API_OPTIONS, parseCommandArgs } from './parse-command-args.ts'
import { parseSince } from './parse-since.ts'
import { resolveFlow } from './resolve-flow.ts'

/** The API's cap on one replay; a filter matching more is refused rather than cut. */
const REPLAY_LIMIT = 10_000

const USAGE = `usage: ferry replay <recordId>…                       replay these records
       ferry replay --flow <id|name> [--state failed] [--key K] [--since 2h|ISO]
  --latest      deliver with the flow's current version (default: the version each record was read with)
  --watch       follow the records until they settle (default on a terminal); --no-watch returns at once`

/** The ids a filter matches now, so the replay and the watch cover exactly the same records. */
async function matchingIds(client: ApiClient, filter: ApiRecordFilter): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const page = await client.listRecords({ ...filter, limit: 500, cursor })
    ids.push(...page.items.map((r) => r.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor && ids.length <= REPLAY_LIMIT)
  if (ids.length > REPLAY_LIMIT)
    throw new CliError(
      `the filter matches more than ${REPLAY_LIMIT} records; narrow it with --since, --state or --key`,
    )
  return ids
}

/** `ferry replay`: records again, by ids or by filter, then (with --watch) follows them to settled. */
export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'replay',
    argv,
    {
      ...API_OPTIONS,
      flow: { type: 'string' },
      state: { type: 'string' },
      key: { type: 'string' },
      since: { type: 'string' },
      latest: { type: 'boolean' },
      watch: { type: 'boolean' },
      'no-watch': { type: 'boolean' },
    },
    USAGE,
  )
  const filtered = values.flow !== undefined || values.state !== undefined || values.key !== undefined
  if (positionals.length > 0 && (filtered || values.since))
    throw new CliError(`ferry replay: give record ids or a filter, not both\n${USAGE}`, 2)
  if (positionals.length === 0 && !filtered)
    throw new CliError(
      `ferry replay: name records by id, or filter with --flow, --state or --key\n${USAGE}`,
      2,
    )
  if (values.watch && values['no-watch'])
    throw new CliError('ferry replay: --watch or --no-watch, not both', 2)
  const since = values.since ? parseSince(values.since, io.now?.() ?? new Date()) : undefined
  const client = apiClientFor(io, values)
  const ids =
    positionals.length > 0
      ? [...new Set(positionals)]
      : await matchingIds(client, {
          flowId: values.flow ? (await resolveFlow(client, values.flow)).id : undefined,
          state: values.state,
          key: values.key,
          from: since,
        })
  if (ids.length === 0) {
    io.out('no records match; nothing was replayed')
    return 0
  }
  const localBefore = io.now?.() ?? new Date()
  const result = await client.replay({ ids, version: values.latest ? 'latest' : 'pinned' })
  const version = values.latest ? "the flow's current version" : 'the version each was read with'
  io.out(
    `replay: ${result.queued} of ${result.matched} queued with ${version}` +
      (result.skipped > 0 ? `; ${result.skipped} left alone (already queued or being delivered)` : ''),
  )
  const watch = values.watch ?? (values['no-watch'] ? false : io.tty)
  if (!watch) return 0
  // The server stamps what it moves with its own clock; a second of slack covers the Date header's rounding.
  const from = new Date((result.serverTime ?? localBefore).getTime() - 2000).toISOString()
  const again =
    positionals.length > 0
      ? `ferry replay ${ids.length === 1 ? ids[0] : '<ids>'}`
      : 'ferry replay --state failed …'
  return followRecords(client, ids, from, io, `replay them again with \`${again}\``)
}

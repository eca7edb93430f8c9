import { SETTLED_STATES } from '../../core/record/record-state.ts'
import { runProgress } from '../api/run-progress.ts'
import type { ApiClient } from './api-client.ts'
import type { CliIo } from './cli-io.ts'
import type { ProgressState } from './render-progress.ts'
import { watchProgress } from './watch-progress.ts'

/**
 * The states of `ids` now, read from the records changed since `since` (a replay touches every record
 * it moves, so all of them are in that window; an id not seen yet counts as queued). Paging the
 * window costs one request per 500 changed records instead of one per record.
 */
export async function recordStates(
  client: ApiClient,
  ids: ReadonlySet<string>,
  since: string,
): Promise<Record<string, number>> {
  const seen = new Map<string, string>()
  let cursor: string | undefined
  do {
    const page = await client.listRecords({ from: since, limit: 500, cursor })
    for (const r of page.items) if (ids.has(r.id) && !seen.has(r.id)) seen.set(r.id, r.state)
    cursor = page.nextCursor ?? undefined
  } while (cursor && seen.size < ids.size)
  const counts: Record<string, number> = {}
  for (const state of seen.values()) counts[state] = (counts[state] ?? 0) + 1
  if (ids.size > seen.size) counts.queued = (counts.queued ?? 0) + ids.size - seen.size
  return counts
}

/** Follows replayed records until every one is settled; exit code 1 when any failed again. */
export async function followRecords(
  client: ApiClient,
  ids: readonly string[],
  since: string,
  io: CliIo,
  replayHint: string,
): Promise<number> {
  const wanted = new Set(ids)
  const startedAt = new Date()
  const state = await watchProgress(
    async (): Promise<ProgressState> => {
      const counts = await recordStates(client, wanted, since)
      const settled = SETTLED_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0)
      const p = runProgress(counts, startedAt, io.now?.() ?? new Date(), null)
      return {
        label: `replay of ${wanted.size}`,
        counts,
        total: wanted.size,
        settled,
        ratePerSecond: p.ratePerSecond,
        etaSeconds: p.etaSeconds,
        done: settled === wanted.size,
      }
    },
    io,
    { intervalMs: io.pollMs ?? 1000, replayHint },
  )
  return (state.counts.failed ?? 0) > 0 ? 1 : 0
}

import type { ApiClient } from './api-client.ts'
import type { ApiRun } from './api-types.ts'
import type { CliIo } from './cli-io.ts'
import type { ProgressState } from './render-progress.ts'
import { watchProgress } from './watch-progress.ts'

/** A run as a progress state: done once the run stopped reading and every record it read has settled. */
export function runProgressState(run: ApiRun, flowName: string): ProgressState {
  const p = run.progress ?? {
    counts: {},
    total: 0,
    settled: 0,
    remaining: 0,
    ratePerSecond: 0,
    etaSeconds: null,
  }
  return {
    label: `run ${run.id} ${flowName}`,
    counts: p.counts,
    total: p.total,
    settled: p.settled,
    ratePerSecond: p.ratePerSecond,
    etaSeconds: p.etaSeconds,
    done: run.state !== 'running' && p.remaining === 0,
    note: run.state === 'running' ? `reading: page ${run.pages}, ${run.recordsRead} read` : run.state,
  }
}

/**
 * Follows one run with the progress display until it is done. Exit code 0 when no record failed and
 * the run itself did not fail, 1 otherwise.
 */
export async function followRun(client: ApiClient, runId: string, io: CliIo): Promise<number> {
  let last = await client.getRun(runId)
  const flowName = (await client.getFlow(last.flowId)).name
  let first = true
  const state = await watchProgress(
    async () => {
      if (!first) last = await client.getRun(runId)
      first = false
      return runProgressState(last, flowName)
    },
    io,
    {
      intervalMs: io.pollMs ?? 1000,
      replayHint: `replay them with \`ferry replay --flow ${flowName} --state failed\``,
    },
  )
  if (last.state === 'failed') io.out(`the run failed while reading: ${runErrorText(last.error)}`)
  return (state.counts.failed ?? 0) > 0 || last.state === 'failed' ? 1 : 0
}

/** A run's stored error as text. */
export function runErrorText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error)
    return String((error as { message: unknown }).message)
  return error === undefined || error === null ? 'no error recorded' : JSON.stringify(error)
}

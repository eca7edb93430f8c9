import { markFlowPolled } from '../store/flows-store.ts'
import { deleteRun, finishRun, startRun } from '../store/runs-store.ts'
import { describeFailure } from './describe-failure.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { type ReadSummary, readSource } from './read-source.ts'

/** Options for {@link runFlow}. */
export interface RunFlowOptions {
  trigger: string
  scope?: string
  window?: { from?: string; to?: string }
  ids?: string[]
  /** Records a webhook delivery carried; see ReadOptions.records. */
  records?: Record<string, unknown>[]
  signal?: AbortSignal
  onPage?: (summary: ReadSummary) => void
}

/**
 * One run of a flow: a run row, a read of the source from its checkpoint, the run's end state. A
 * scheduled run that read nothing new ends by removing its row and stamping the flow's last poll.
 */
export async function runFlow(deps: EngineDeps, program: FlowProgram, options: RunFlowOptions) {
  const run = await startRun(deps.db, {
    tenantId: program.tenantId,
    flowId: program.flowId,
    flowVersion: program.version,
    trigger: options.trigger,
    scope: options.scope,
    window: options.window,
  })
  try {
    const summary = await readSource(deps, program, {
      runId: run.id,
      scope: options.scope ?? 'live',
      window: options.window,
      ids: options.ids,
      records: options.records,
      signal: options.signal,
      onPage: options.onPage,
    })
    // A scheduled poll that found nothing new keeps no run row (thousands of flows poll every few
    // minutes); the flow's last poll time says that it ran.
    const quiet = options.trigger === 'schedule' && summary.inserted === 0 && !options.signal?.aborted
    await deps.db.transaction().execute(async (trx) => {
      if (quiet) await deleteRun(trx, run.id)
      else await finishRun(trx, run.id, options.signal?.aborted ? 'cancelled' : 'succeeded')
      await markFlowPolled(trx, program.flowId)
    })
    return { runId: run.id, ...summary }
  } catch (error) {
    await finishRun(deps.db, run.id, 'failed', describeFailure(error))
    throw error
  }
}

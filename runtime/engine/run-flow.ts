import { randomUUID } from 'node:crypto'
import { markFlowPolled } from '../store/flows-store.ts'
import { finishRun, startRun } from '../store/runs-store.ts'
import { describeFailure } from './describe-failure.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { type DeferredRun, type ReadSummary, readSource } from './read-source.ts'

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
 * scheduled or webhook run writes its row only with the first page that stores a new record: a poll
 * that finds nothing new (thousands of flows poll every few minutes) or a notification of a record
 * already stored writes no run row — only the flow's last poll time says that it ran — and an empty
 * page with an unchanged checkpoint writes nothing at all. A notified record thus costs no commit of
 * its own for the run row (it is written in the page's transaction). A run that fails or is
 * cancelled before storing anything still gets its row, as before.
 */
export async function runFlow(deps: EngineDeps, program: FlowProgram, options: RunFlowOptions) {
  const runInput = {
    tenantId: program.tenantId,
    flowId: program.flowId,
    flowVersion: program.version,
    trigger: options.trigger,
    scope: options.scope,
    window: options.window,
  }
  const lateRow = { id: randomUUID(), startedAt: new Date() }
  const deferred: DeferredRun | undefined =
    options.trigger === 'schedule' || options.trigger === 'webhook'
      ? {
          stored: false,
          create: async (trx, before) => {
            await startRun(trx, { ...runInput, ...lateRow, pages: before.pages, recordsRead: before.read })
          },
        }
      : undefined
  const runId = deferred ? lateRow.id : (await startRun(deps.db, runInput)).id
  // A deferred run that must be seen (failed, cancelled) gets its row now, with what it read.
  const ensureRow = async (read: ReadSummary | undefined) => {
    if (!deferred || deferred.stored) return
    await startRun(deps.db, { ...runInput, ...lateRow, pages: read?.pages, recordsRead: read?.read })
    deferred.stored = true
  }
  let progress: ReadSummary | undefined
  try {
    const summary = await readSource(deps, program, {
      runId,
      deferredRun: deferred,
      scope: options.scope ?? 'live',
      window: options.window,
      ids: options.ids,
      records: options.records,
      signal: options.signal,
      onPage: (read) => {
        progress = read
        options.onPage?.(read)
      },
    })
    const aborted = options.signal?.aborted ?? false
    if (deferred && !deferred.stored && !aborted) {
      await markFlowPolled(deps.db, program.flowId)
      return { runId, ...summary }
    }
    await ensureRow(summary)
    await deps.db.transaction().execute(async (trx) => {
      await finishRun(trx, runId, aborted ? 'cancelled' : 'succeeded')
      await markFlowPolled(trx, program.flowId)
    })
    return { runId, ...summary }
  } catch (error) {
    await ensureRow(progress)
    await finishRun(deps.db, runId, 'failed', describeFailure(error))
    throw error
  }
}

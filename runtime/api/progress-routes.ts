import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { countBulkRetryRecords, getBulkRetry } from '../store/bulk-retries-store.ts'
import { countRunRecords } from '../store/runs-queries.ts'
import { getRun } from '../store/runs-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiEnv, ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'
import { type RunProgress, runProgress } from './run-progress.ts'

/** How often a progress stream reads the store. */
export const PROGRESS_INTERVAL_MS = 1_000
/** A progress stream closes after this long (the client reconnects if it still cares). */
export const PROGRESS_STREAM_MAX_MS = 10 * 60_000
/** Open progress streams one tenant may hold at once (each reads the store every second). */
export const PROGRESS_STREAMS_PER_TENANT = 8

/** One progress event: where the operation stands and whether it has finished. */
export interface ProgressEvent {
  progress: RunProgress
  done: boolean
}

/**
 * Tenant routes: live progress of long operations — a run or backfill, a bulk retry — as a JSON
 * snapshot and as server-sent events (`event: progress`, one per second until done).
 */
export function progressRoutes(deps: ApiDeps): ApiRoute[] {
  const open = new Map<string, number>()

  async function runEvent(tenantId: string, runId: string): Promise<ProgressEvent | undefined> {
    const run = await getRun(deps.db, tenantId, runId)
    if (!run) return undefined
    const progress = runProgress(
      await countRunRecords(deps.db, run.id),
      run.startedAt,
      new Date(),
      run.finishedAt,
    )
    return { progress, done: run.finishedAt !== null && progress.remaining === 0 }
  }

  async function retryEvent(tenantId: string, id: string): Promise<ProgressEvent | undefined> {
    const retry = await getBulkRetry(deps.db, tenantId, id)
    if (!retry) return undefined
    const { counts, lastChangeAt } = await countBulkRetryRecords(deps.db, retry.id)
    const settledAll = (p: RunProgress) => p.remaining === 0
    const draft = runProgress(counts, retry.createdAt, new Date(), null)
    const progress = settledAll(draft)
      ? runProgress(counts, retry.createdAt, new Date(), lastChangeAt)
      : draft
    return { progress, done: settledAll(progress) }
  }

  function stream(
    c: Context<ApiEnv>,
    tenantId: string,
    first: ProgressEvent,
    next: () => Promise<ProgressEvent | undefined>,
  ): Response {
    const held = open.get(tenantId) ?? 0
    if (held >= PROGRESS_STREAMS_PER_TENANT)
      throw new ApiProblem(
        429,
        'too-many-streams',
        `at most ${PROGRESS_STREAMS_PER_TENANT} progress streams may be open at once; close one`,
      )
    open.set(tenantId, held + 1)
    const release = () => {
      const n = (open.get(tenantId) ?? 1) - 1
      if (n <= 0) open.delete(tenantId)
      else open.set(tenantId, n)
    }
    return streamSSE(c, async (sse) => {
      try {
        const until = Date.now() + PROGRESS_STREAM_MAX_MS
        let event: ProgressEvent | undefined = first
        for (let id = 1; event && !sse.aborted; id++) {
          await sse.writeSSE({ event: 'progress', id: String(id), data: JSON.stringify(event) })
          if (event.done || Date.now() >= until) break
          await sse.sleep(PROGRESS_INTERVAL_MS)
          event = await next()
        }
      } finally {
        release()
      }
    })
  }

  const sseResponse = {
    description: 'Server-sent events: `progress` with a ProgressEvent, until done',
    contentType: 'text/event-stream',
  }

  return [
    {
      method: 'get',
      path: '/v1/runs/:runId/progress',
      operationId: 'streamRunProgress',
      summary:
        'Follow a run or backfill live: records per state, rate and ETA each second (server-sent events)',
      tag: 'runs',
      access: 'tenant',
      responses: { 200: sseResponse },
      handle: async (c, { tenantId, params }) => {
        const first = await runEvent(tenantId, params.runId!)
        if (!first) throw notFound('run', params.runId!)
        return stream(c, tenantId, first, () => runEvent(tenantId, params.runId!))
      },
    },
    {
      method: 'get',
      path: '/v1/bulk-retries/:bulkRetryId',
      operationId: 'getBulkRetry',
      summary: 'Where a bulk retry stands: its records per state, rate and ETA',
      tag: 'records',
      access: 'tenant',
      responses: { 200: { description: 'The retry', schema: 'BulkRetry' } },
      handle: async (c, { tenantId, params }) => {
        const retry = await getBulkRetry(deps.db, tenantId, params.bulkRetryId!)
        if (!retry) throw notFound('bulk retry', params.bulkRetryId!)
        const { tenantId: _, ...rest } = retry
        return c.json({ ...rest, ...(await retryEvent(tenantId, retry.id)) })
      },
    },
    {
      method: 'get',
      path: '/v1/bulk-retries/:bulkRetryId/progress',
      operationId: 'streamBulkRetryProgress',
      summary: 'Follow a bulk retry live: records per state, rate and ETA each second (server-sent events)',
      tag: 'records',
      access: 'tenant',
      responses: { 200: sseResponse },
      handle: async (c, { tenantId, params }) => {
        const first = await retryEvent(tenantId, params.bulkRetryId!)
        if (!first) throw notFound('bulk retry', params.bulkRetryId!)
        return stream(c, tenantId, first, () => retryEvent(tenantId, params.bulkRetryId!))
      },
    },
  ]
}

/**
 * Reads the asynchronous outcome of a Basware write from `GET /v1/requestStatus/{requestId}`.
 *
 * Timing: the first look is after 250 ms (enough for small imports, so the usual case costs one call),
 * then the wait doubles up to 4 s per look, for at most 20 s in all (about 8 calls). A request still
 * in progress after that is reported as pending and resolved later by `outcomes.poll`, so a slow
 * Basware never holds a worker for minutes.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../core/connector/json-answer.ts'
import { callApi } from './call-api.ts'
import type { Config } from './config.ts'

/** One item of a request's outcome (ProcessedItem). */
export interface ProcessedItem {
  externalCode?: string | null
  parentExternalCode?: string | null
  status?: string
  errors?: { type?: string; message?: string | null; category?: string }[] | null
}

/** A request's outcome: `InProgress` until Basware has processed every item. */
export interface RequestOutcome {
  status: string
  items: ProcessedItem[]
}

/** Polling schedule (ms); tests may shorten it through `ctx.memo`. */
export interface PollSchedule {
  firstMs: number
  maxStepMs: number
  totalMs: number
}

/** The default schedule described above. */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { firstMs: 250, maxStepMs: 4_000, totalMs: 20_000 }

/** The memo key under which a caller may set another {@link PollSchedule}. */
export const POLL_SCHEDULE_KEY = 'basware:requestStatusSchedule'

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/** Reads a request's status once; a request Basware does not list yet counts as in progress. */
export async function readRequestStatus(
  ctx: ConnectorContext<Config>,
  requestId: string,
): Promise<RequestOutcome> {
  const res = await callApi(ctx, {
    method: 'GET',
    path: `/v1/requestStatus/${encodeURIComponent(requestId)}`,
    expect: [404],
  })
  if (res.status === 404) return { status: 'InProgress', items: [] }
  const body = jsonAnswer<{
    requestStatus?: { requestStatus?: string; systems?: { items?: ProcessedItem[] | null }[] | null }[]
  }>(res.text, `Basware's answer to GET /v1/requestStatus/${requestId}`)
  if (body === null || typeof body !== 'object' || (body.requestStatus && !Array.isArray(body.requestStatus)))
    throw new ConnectorError(
      'transient',
      `Basware's answer to GET /v1/requestStatus/${requestId} is not a request status.`,
    )
  const entry = body.requestStatus?.[0]
  const items = (entry?.systems ?? []).flatMap((s) => s.items ?? [])
  return { status: entry?.requestStatus ?? 'InProgress', items }
}

/** Polls until the request is processed or the schedule runs out (then its last, in-progress view). */
export async function awaitRequestStatus(
  ctx: ConnectorContext<Config>,
  requestId: string,
): Promise<RequestOutcome> {
  const schedule = (ctx.memo.get(POLL_SCHEDULE_KEY) as PollSchedule | undefined) ?? DEFAULT_POLL_SCHEDULE
  let waited = 0
  let step = schedule.firstMs
  for (;;) {
    await sleep(step, ctx.signal)
    waited += step
    const outcome = await readRequestStatus(ctx, requestId)
    if (outcome.status !== 'InProgress') return outcome
    if (waited >= schedule.totalMs) return outcome
    step = Math.min(step * 2, schedule.maxStepMs, schedule.totalMs - waited)
  }
}

/**
 * JSON `$batch`: at most 100 operations with relative URLs, run in order. By default the first
 * failure stops the batch (later operations are absent from the answer); `Prefer:
 * odata.continue-on-error` runs them all; `Isolation: snapshot` makes it all-or-nothing. An
 * operation whose `dependsOn` failed answers 424. The envelope is 200 whenever it parsed.
 */

import type { SandboxState } from '../state/sandbox-state.ts'
import { restoreTable, snapshotTable } from '../state/table.ts'
import type { ApiRequest, ApiResponse } from './api-request.ts'
import { BcHttpError, errorBody } from './bc-http-error.ts'

/** One inner request as sent. */
export interface BatchItem {
  id?: string
  method?: string
  url?: string
  headers?: Record<string, string>
  body?: unknown
  dependsOn?: string[]
}

/** Validates the envelope; returns its operations. */
export function batchItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown })?.requests
  if (!Array.isArray(requests))
    throw new BcHttpError(400, 'BadRequest', 'The batch request must contain a "requests" array.')
  if (requests.length > 100) {
    throw new BcHttpError(
      400,
      'BadRequest',
      `The batch request contains ${requests.length} operations; the maximum is 100.`,
    )
  }
  return requests as BatchItem[]
}

/** Runs a batch; `run` serves one inner operation (already authenticated and counted). */
export async function runBatch(
  state: SandboxState,
  outer: ApiRequest,
  items: BatchItem[],
  run: (req: ApiRequest, path: string) => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const continueOnError = /odata\.continue-on-error/.test(outer.headers.get('prefer') ?? '')
  const atomic = (outer.headers.get('isolation') ?? '').toLowerCase() === 'snapshot'
  const snapshot = atomic
    ? [...state.companies.values()].map((c) => ({
        c,
        series: { ...c.series },
        entry: c.nextEntryNumber,
        tables: Object.entries(c.tables).map(([name, t]) => [name, snapshotTable(t)] as const),
      }))
    : []
  const responses: Record<string, unknown>[] = []
  const failed = new Set<string>()
  for (const item of items) {
    const id = item.id ?? null
    const fail = (status: number, code: string, message: string) => ({
      id,
      status,
      headers: { 'content-type': 'application/json' },
      body: errorBody(code, message),
    })
    let answer: Record<string, unknown>
    if (item.dependsOn?.some((d) => failed.has(d) || !responses.some((r) => r.id === d))) {
      answer = fail(424, 'BadRequest', 'A request this request depends on failed.')
    } else {
      const relative = String(item.url ?? '').replace(/^\//, '')
      const url = new URL(/^https?:/.test(relative) ? relative : `${outer.apiBase}/${relative}`)
      const path = url.pathname.slice(new URL(outer.apiBase).pathname.length + 1)
      const headers = new Headers(item.headers ?? {})
      try {
        const result = await run(
          { ...outer, method: (item.method ?? 'GET').toUpperCase(), url, headers, body: item.body },
          path,
        )
        answer = {
          id,
          status: result.status,
          headers: result.headers,
          ...(result.body === undefined ? {} : { body: result.body }),
        }
      } catch (error) {
        if (!(error instanceof BcHttpError)) throw error
        answer = fail(error.status, error.code, error.message)
      }
    }
    responses.push(answer)
    if (Number(answer.status) >= 400) {
      if (id !== null) failed.add(String(id))
      if (atomic) {
        for (const s of snapshot) {
          Object.assign(s.c.series, s.series)
          s.c.nextEntryNumber = s.entry
          for (const [name, rows] of s.tables) restoreTable(s.c.tables[name]!, rows)
        }
        return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses: [answer] } }
      }
      if (!continueOnError) break
    }
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } }
}

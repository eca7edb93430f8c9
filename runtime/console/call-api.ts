import { inProcessEnv } from '../api/in-process-principal.ts'
import type { ProblemDocument } from '../api/problem.ts'
import type { ConsoleSession } from '../store/console-sessions-store.ts'
import type { ConsoleApiApp } from './console-deps.ts'

/** An API answer: the status and the parsed JSON body (a problem document when not ok). */
export interface ApiAnswer<T = any> {
  ok: boolean
  status: number
  body: T
  /** The problem document of a failed call. */
  problem?: ProblemDocument
}

/**
 * Calls one route of Ferry's API in-process as the session's tenant: the very route a bearer key
 * would reach, with its access rule, parameter and body checks and tenant scoping. This is the
 * console's only way to tenant data.
 *
 * @example const flows = await callApi(api, session, 'GET', '/v1/flows')
 */
export async function callApi<T = any>(
  api: ConsoleApiApp,
  session: ConsoleSession,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const request = new Request(`http://ferry.internal${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const response = await api.fetch(
    request,
    inProcessEnv({ keyId: session.keyId, role: 'tenant', tenantId: session.tenantId }),
  )
  const text = await response.text()
  const parsed = text ? JSON.parse(text) : undefined
  return response.ok
    ? { ok: true, status: response.status, body: parsed }
    : { ok: false, status: response.status, body: parsed, problem: parsed as ProblemDocument }
}

/** Like {@link callApi}, but a failed call throws (for reads a page cannot do without). */
export async function readApi<T = any>(
  api: ConsoleApiApp,
  session: ConsoleSession,
  path: string,
): Promise<T> {
  const answer = await callApi<T>(api, session, 'GET', path)
  if (!answer.ok) throw new Error(`GET ${path} → ${answer.status}: ${answer.problem?.detail ?? ''}`)
  return answer.body
}

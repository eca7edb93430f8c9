/**
 * One authenticated call to the BC API through `ctx.fetch`. Sends the headers BC wants (English
 * messages, JSON), retries exactly once with a fresh token after a 401, and maps failures to
 * ConnectorErrors. It never repeats a call for any other reason: a write that timed out may have
 * committed, and only the runtime's find-before-write can tell.
 */
import type { CallSummary, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../core/connector/json-answer.ts'
import { remoteText } from '../../core/connector/remote-text.ts'
import { accessToken } from './auth.ts'
import type { Config } from './config.ts'
import { configSecrets } from './config.ts'
import { bcError } from './errors.ts'

/** A request to BC. `url` is absolute (see `companyUrl`/`apiRoot`). */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  body?: unknown
  headers?: Record<string, string>
}

/** A successful BC answer. */
export interface ApiAnswer<T = any> {
  status: number
  body: T
  headers: Headers
  summary: CallSummary
}

/** A short description of a request for messages: method and path without host or query. */
function describe(req: { method: string; url: string }): string {
  const path = new URL(req.url).pathname.replace(/^.*\/api\/v2\.0\//, '')
  return `${req.method} ${decodeURIComponent(path)}`
}

async function send(ctx: ConnectorContext<Config>, req: ApiRequest, token: string): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'accept-language': 'en-US',
    ...req.headers,
  }
  if (req.body !== undefined) headers['content-type'] = 'application/json'
  try {
    return await ctx.fetch(req.url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: ctx.signal,
      redirect: 'manual',
    })
  } catch (error) {
    if (isConnectorError(error)) throw error
    const mayHaveWritten = req.method === 'GET' ? '' : ' The change may or may not have been applied.'
    throw new ConnectorError('transient', `No answer from BC for ${describe(req)}.${mayHaveWritten}`, {
      remoteMessage: remoteText(String((error as Error)?.message ?? error), configSecrets(ctx.config)),
    })
  }
}

/** Sends `req` to BC; throws a ConnectorError for any non-2xx answer. */
export async function callApi<T = any>(
  ctx: ConnectorContext<Config>,
  req: ApiRequest,
): Promise<ApiAnswer<T>> {
  const started = ctx.now().getTime()
  let token = await accessToken(ctx)
  let response = await send(ctx, req, token)
  if (response.status === 401) {
    await response.arrayBuffer()
    token = await accessToken(ctx, token)
    response = await send(ctx, req, token)
  }
  const text = await response.text()
  const summary: CallSummary = {
    method: req.method,
    url: redactSecrets(req.url, configSecrets(ctx.config)),
    status: response.status,
    durationMs: ctx.now().getTime() - started,
  }
  const etag = response.headers.get('etag')
  if (etag) summary.remoteIds = { etag }
  if (!response.ok) {
    const what = describe(req)
    throw bcError(
      { status: response.status, text, retryAfter: response.headers.get('retry-after'), what },
      configSecrets(ctx.config),
    )
  }
  // BC answers a success with a JSON object, or with nothing (204, DELETE). Anything else — a proxy's
  // page, `null`, an array — would surface later as a TypeError in whoever reads it.
  let body: any
  if (text) body = jsonAnswer(text, `BC's answer to ${describe(req)}`)
  const empty = !text && (response.status === 204 || req.method === 'DELETE')
  if (!empty && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new ConnectorError(
      'transient',
      `BC answered ${describe(req)} with ${response.status} but no JSON object: ${remoteText(text, configSecrets(ctx.config), 200) || '(empty)'}`,
      { status: response.status },
    )
  }
  return { status: response.status, body, headers: response.headers, summary }
}

/** The records of a collection answer (`{ value: [...] }`); any other shape is a transient error. */
export function collection(answer: ApiAnswer): Record<string, unknown>[] {
  const value = (answer.body as { value?: unknown } | undefined)?.value
  if (!Array.isArray(value) || value.some((r) => r === null || typeof r !== 'object'))
    throw new ConnectorError(
      'transient',
      `BC's answer to ${describe(answer.summary)} is not a collection of records.`,
      {
        status: answer.status,
      },
    )
  return value as Record<string, unknown>[]
}

/**
 * One Basware API call through `ctx.fetch`: credentials, one retry with a fresh token after a 401,
 * the 302 redirect followed *without* the Authorization header (the download host refuses a second
 * auth mechanism), and failures turned into ConnectorErrors.
 */
import type { CallSummary, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { authorization, invalidateToken } from './auth.ts'
import { type Config, configSecrets, resolveBaseUrl } from './config.ts'
import { errorFromResponse, networkError } from './errors.ts'

/** A request to the Basware API. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH'
  /** Path under the base URL, e.g. `/v1/vendors`. */
  path: string
  query?: Record<string, string | number | undefined>
  headers?: Record<string, string>
  body?: unknown
  /** Statuses returned to the caller instead of thrown (e.g. 404 = empty list, 405 = already acknowledged). */
  expect?: readonly number[]
}

/** A Basware answer (after any redirect). */
export interface ApiAnswer {
  status: number
  headers: Headers
  text: string
  /** HTTP requests this call cost (a redirect counts twice). */
  calls: number
  summary: CallSummary
}

/** The full URL of a request. */
export function requestUrl(ctx: ConnectorContext<Config>, req: Pick<ApiRequest, 'path' | 'query'>): string {
  const url = new URL(resolveBaseUrl(ctx.config) + req.path)
  for (const [k, v] of Object.entries(req.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v))
  return url.toString()
}

async function send(
  ctx: ConnectorContext<Config>,
  req: ApiRequest,
  url: string,
  auth: string,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: auth, ...req.headers }
  if (req.body !== undefined || req.method === 'POST') headers['content-type'] = 'application/json'
  try {
    return await ctx.fetch(url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      redirect: 'manual',
      signal: ctx.signal,
    })
  } catch (e) {
    throw networkError(`${req.method} ${req.path}`, e, configSecrets(ctx.config))
  }
}

/** Follows a 302 to its Location with no credentials at all. */
async function follow(ctx: ConnectorContext<Config>, req: ApiRequest, response: Response): Promise<Response> {
  const location = response.headers.get('location')
  await response.body?.cancel()
  if (!location)
    throw networkError(`${req.method} ${req.path}`, new Error('302 without a Location header'), [])
  try {
    return await ctx.fetch(new URL(location, requestUrl(ctx, req)).toString(), {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: ctx.signal,
    })
  } catch (e) {
    throw networkError(`${req.method} ${req.path} (redirect)`, e, configSecrets(ctx.config))
  }
}

/** Calls Basware; throws a ConnectorError unless the answer is 2xx or listed in `req.expect`. */
export async function callApi(ctx: ConnectorContext<Config>, req: ApiRequest): Promise<ApiAnswer> {
  const url = requestUrl(ctx, req)
  const started = Date.now()
  let calls = 1
  let auth = await authorization(ctx)
  let response = await send(ctx, req, url, auth)
  if (response.status === 401) {
    // Expired or revoked token: one retry with a fresh one, then it is the credentials.
    await response.body?.cancel()
    invalidateToken(ctx, auth)
    auth = await authorization(ctx)
    response = await send(ctx, req, url, auth)
    calls++
  }
  let redirected = false
  if (response.status === 302) {
    response = await follow(ctx, req, response)
    redirected = true
    calls++
  }
  const text = await response.text()
  if (redirected && (response.status === 400 || response.status === 403)) {
    // The pre-signed download expired or was refused: asking the API again yields a fresh URL.
    throw new ConnectorError(
      'transient',
      `Basware's download URL for ${req.method} ${req.path} answered ${response.status}; retry the call.`,
      { status: response.status },
    )
  }
  const summary: CallSummary = {
    method: req.method,
    url: url.replace(/\?.*$/, ''),
    status: response.status,
    durationMs: Date.now() - started,
    remoteIds: response.headers.get('x-amzn-requestid')
      ? { requestId: response.headers.get('x-amzn-requestid')! }
      : undefined,
  }
  if (!response.ok && !req.expect?.includes(response.status)) {
    throw errorFromResponse(
      `${req.method} ${req.path}`,
      response,
      text,
      configSecrets(ctx.config),
      ctx.now().getTime(),
    )
  }
  return { status: response.status, headers: response.headers, text, calls, summary }
}

/**
 * One HTTP exchange of a declared connector, through `ctx.fetch` only (so the runtime's limits,
 * egress policy and call summaries apply): URL from baseUrl + path template + query, the manifest's
 * headers, credentials, one retry with fresh credentials after a 401, redirects as the manifest says,
 * and every unexpected answer mapped to a ConnectorError.
 */
import type { CallSummary, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import type { RequestParts } from '../../core/manifest/connector-stream-schema.ts'
import { compileExpression, type Evaluate } from './compile-expression.ts'
import { type CompiledTemplate, compileTemplate } from './compile-template.ts'
import type { Authorizer } from './declared-auth.ts'
import type { ErrorMapper } from './declared-errors.ts'

/** A request spec, compiled. */
export interface CompiledRequest {
  method: string
  path: CompiledTemplate
  query: [string, CompiledTemplate | number | boolean][]
  headers: [string, CompiledTemplate][]
  body?: Evaluate
}

/** What every request of a connector shares. */
export interface HttpRuntime {
  title: string
  baseUrl?: CompiledTemplate
  headers: [string, CompiledTemplate][]
  auth: Authorizer
  errors: ErrorMapper
  redirects: 'follow' | 'follow-without-credentials' | 'refuse'
  /** Names of the config fields holding secrets. */
  secretFields: readonly string[]
}

/** An answer (after redirects). */
export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON, when it is JSON. */
  body: unknown
  /** The URL that answered. */
  url: string
  /** HTTP requests this exchange cost. */
  calls: number
  summary: CallSummary
}

/** Per-call adjustments. */
export interface SendOptions {
  /** Statuses returned to the caller instead of thrown (e.g. 404 = no records). */
  expect?: readonly number[]
  /** Call this URL instead of the spec's path and query (a next link). */
  url?: string
  /** Query parameters added to the spec's (paging, incremental). */
  query?: Record<string, string | number | undefined>
  headers?: Record<string, string>
  /** The JSON body when the caller computed it; `undefined` keeps the spec's. */
  body?: unknown
}

const MAX_REDIRECTS = 5

/** Compiles a request spec; `where` names it in messages (`streams.invoices.read`). */
export function compileRequest(
  spec: RequestParts & { body?: string },
  defaultMethod: string,
  where: string,
): CompiledRequest {
  const query = Object.entries(spec.query ?? {}).map(
    ([k, v]) =>
      [k, typeof v === 'string' ? compileTemplate(v, `${where}.query.${k}`) : v] as [
        string,
        CompiledTemplate | number | boolean,
      ],
  )
  return {
    method: spec.method ?? defaultMethod,
    path: compileTemplate(spec.path, `${where}.path`),
    query,
    headers: Object.entries(spec.headers ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      compileTemplate(v, `${where}.headers.${k}`),
    ]),
    body: spec.body ? compileExpression(spec.body, `${where}.body`, 'rejected') : undefined,
  }
}

/** The secret values to keep out of messages: the config's secrets and the live token. */
export function secretsOf(rt: HttpRuntime, ctx: ConnectorContext): string[] {
  const config = ctx.config as Record<string, unknown>
  const values = rt.secretFields
    .map((f) => config[f])
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
  return [...values, ...rt.auth.liveSecrets(ctx)]
}

async function buildUrl(
  rt: HttpRuntime,
  ctx: ConnectorContext,
  spec: CompiledRequest,
  context: unknown,
  options: SendOptions,
) {
  let url: URL
  if (options.url) url = new URL(options.url)
  else {
    const path = await spec.path.text(context, encodeURIComponent)
    if (/^https?:\/\//i.test(path)) url = new URL(path)
    else {
      if (!rt.baseUrl)
        throw new ConnectorError(
          'config',
          `${rt.title}: the connector declares no baseUrl to send ${path} to`,
        )
      const base = (await rt.baseUrl.text({ config: ctx.config })).replace(/\/+$/, '')
      if (!URL.canParse(base))
        throw new ConnectorError('config', `${rt.title}: the base URL "${base}" is not a valid URL`)
      url = new URL(base + (path.startsWith('/') ? path : `/${path}`))
    }
    for (const [name, value] of spec.query) {
      const v = typeof value === 'object' ? await value.value(context) : value
      if (v === undefined || v === null || v === '') continue
      for (const item of Array.isArray(v) ? v : [v])
        url.searchParams.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item))
    }
  }
  for (const [name, value] of Object.entries(options.query ?? {}))
    if (value !== undefined) url.searchParams.set(name, String(value))
  return url
}

async function buildHeaders(
  rt: HttpRuntime,
  ctx: ConnectorContext,
  spec: CompiledRequest,
  context: unknown,
  options: SendOptions,
) {
  const headers: Record<string, string> = { accept: 'application/json' }
  for (const [name, template] of rt.headers) {
    const value = await template.value({ config: ctx.config })
    if (value !== undefined) headers[name] = String(value)
  }
  for (const [name, template] of spec.headers) {
    const value = await template.value(context)
    if (value !== undefined) headers[name] = String(value)
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value
  return headers
}

/** Sends one request; throws a ConnectorError unless the answer is 2xx or listed in `options.expect`. */
export async function sendRequest(
  rt: HttpRuntime,
  ctx: ConnectorContext,
  spec: CompiledRequest,
  context: Record<string, unknown>,
  options: SendOptions = {},
): Promise<Answer> {
  const first = await buildUrl(rt, ctx, spec, context, options)
  const baseHeaders = await buildHeaders(rt, ctx, spec, context, options)
  const json = options.body !== undefined ? options.body : spec.body ? await spec.body(context) : undefined
  let method = spec.method
  let payload = json === undefined || json === null ? undefined : JSON.stringify(json)
  const what = `${method} ${first.pathname}`
  const started = Date.now()
  let url = first
  let credentials = true
  let retried = false
  let calls = 0
  let response: Response
  for (let hop = 0; ; ) {
    const target = new URL(url)
    const headers = { ...baseHeaders }
    if (payload !== undefined) headers['content-type'] ??= 'application/json'
    if (credentials) await rt.auth.apply(ctx, target, headers, secretsOf(rt, ctx))
    calls++
    try {
      response = await ctx.fetch(target.toString(), {
        method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: ctx.signal,
      })
    } catch (error) {
      // The egress policy's refusal (config) and timeouts (transient) arrive typed already.
      if (isConnectorError(error)) throw error
      const detail = redactSecrets(error instanceof Error ? error.message : String(error), secretsOf(rt, ctx))
      throw new ConnectorError('transient', `Could not reach ${rt.title} for ${what}: ${detail}`, {
        cause: error,
      })
    }
    if (response.status === 401 && credentials && !retried && rt.auth.refused(ctx)) {
      // An expired or revoked token: one retry with a fresh one; a second 401 is the credentials.
      await response.body?.cancel()
      retried = true
      continue
    }
    const location = response.headers.get('location')
    if (
      response.status >= 300 &&
      response.status < 400 &&
      location &&
      rt.redirects !== 'refuse' &&
      hop < MAX_REDIRECTS
    ) {
      await response.body?.cancel()
      const next = new URL(location, url)
      // Credentials never follow a redirect to another origin (a download host may refuse them outright).
      credentials = credentials && rt.redirects === 'follow' && next.origin === first.origin
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method !== 'GET')
      ) {
        method = 'GET'
        payload = undefined
      }
      url = next
      hop++
      continue
    }
    break
  }
  const text = await response.text()
  let body: unknown
  if (
    text.trim() !== '' &&
    (/json/i.test(response.headers.get('content-type') ?? '') || /^\s*[[{]/.test(text))
  ) {
    try {
      body = JSON.parse(text)
    } catch {}
  }
  const summary: CallSummary = {
    method: spec.method,
    url: `${first.origin}${first.pathname}`,
    status: response.status,
    durationMs: Date.now() - started,
  }
  if (!response.ok && !options.expect?.includes(response.status))
    throw await rt.errors(
      what,
      { status: response.status, headers: response.headers, text, body },
      secretsOf(rt, ctx),
      ctx.now().getTime(),
    )
  return {
    status: response.status,
    headers: response.headers,
    text,
    body,
    url: url.toString(),
    calls,
    summary,
  }
}

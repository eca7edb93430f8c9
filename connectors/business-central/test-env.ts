/**
 * Test harness for this folder's tests (not a test itself): starts the sandbox in-process with a
 * context on it, plus helpers for the control API and for raw API calls with a real token.
 */
import { type SandboxContextOptions, startSandboxContext } from '../../test/support/sandbox-context.ts'
import type { Config } from './config.ts'
import { apiRoot, authorityRoot } from './config.ts'
import { businessCentral } from './index.ts'

/** A movable clock for token and subscription expiry. */
export function movableClock(start = Date.now()): { now: () => Date; advance: (ms: number) => void } {
  let t = start
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms
    },
  }
}

/** Starts a BC sandbox and a connector context on it. */
export async function startTestEnv(options: SandboxContextOptions = {}) {
  const env = await startSandboxContext(businessCentral, options)
  const config = env.ctx.config as Config
  const root = config.baseUrl!
  const api = apiRoot(config)
  const companyApi = `${api}/companies(${config.company})`

  /** Calls the control API: GET without a body, POST with one. */
  const control = async (path: string, body?: unknown): Promise<any> => {
    const response = await env.sandbox.fetch(
      new Request(`${root}/__sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    return response.json()
  }

  let token: string | undefined
  /** A client-credentials token straight from the sandbox's token endpoint. */
  const getToken = async (): Promise<string> => {
    if (token) return token
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.clientId,
      client_secret: config.clientSecret,
      scope: 'https://api.businesscentral.dynamics.com/.default',
    })
    const response = await env.sandbox.fetch(
      new Request(`${authorityRoot(config)}/token`, { method: 'POST', body: form }),
    )
    token = ((await response.json()) as { access_token: string }).access_token
    return token
  }

  /** A raw API call; `path` is relative to the company unless it starts with `/` (API root) or http. */
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; body: any; text: string }> => {
    const url = path.startsWith('http')
      ? path
      : path.startsWith('/')
        ? `${api}${path}`
        : `${companyApi}/${path}`
    const headers: Record<string, string> = { authorization: `Bearer ${await getToken()}`, ...init.headers }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const response = await env.sandbox.fetch(
      new Request(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    )
    const text = await response.text()
    let body: any
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    return { status: response.status, headers: response.headers, body, text }
  }

  return { ...env, config, root, api, companyApi, control, call, getToken }
}

/** Requests that went to the Entra token endpoint. */
export function tokenCalls(calls: Request[]): Request[] {
  return calls.filter((r) => r.url.includes('/oauth2/v2.0/token'))
}

/** Requests that went to the BC API. */
export function apiCalls(calls: Request[]): Request[] {
  return calls.filter((r) => r.url.includes('/api/v2.0'))
}

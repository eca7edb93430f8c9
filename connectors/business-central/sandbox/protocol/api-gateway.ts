/**
 * The front door of `/v2.0/…`: injected faults, bearer authentication, tenant and environment
 * routing, the per-principal rate limit and concurrency cap, request statistics, then dispatch
 * (or `$batch`). Also where "commit, then time out" is injected after a write succeeded.
 */

import type { EntraEmulator, Principal } from '../auth/entra-emulator.ts'
import type { SandboxState } from '../state/sandbox-state.ts'
import type { Subscriptions } from '../webhooks/subscriptions.ts'
import { dispatchApi } from './api-dispatch.ts'
import type { ApiRequest, ApiResponse } from './api-request.ts'
import { toResponse } from './api-request.ts'
import { batchItems, runBatch } from './batch.ts'
import { BcHttpError, errorResponse } from './bc-http-error.ts'
import type { RateLimiter } from './rate-limiter.ts'

/** Collaborators of the gateway. */
export interface Gateway {
  state: SandboxState
  entra: EntraEmulator
  limiter: RateLimiter
  subscriptions: Subscriptions
  /** Origin + base path of the sandbox, e.g. `http://127.0.0.1:1/business-central`. */
  root: string
}

/** `GET purchaseInvoices/Microsoft.NAV.post` style key for statistics. */
function statKey(method: string, path: string): string {
  const names = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s).replace(/\(.*\)$/, ''))
    .filter((s, _, all) => s !== 'companies' || all.length === 1)
  const action = names.find((n) => n.startsWith('Microsoft.NAV.'))
  const entity = names.filter((n) => !n.startsWith('Microsoft.NAV.')).join('/') || '(root)'
  return `${method} ${entity}${action ? `/${action}` : ''}`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function unauthorized(): Response {
  return new Response(null, {
    status: 401,
    headers: {
      'www-authenticate':
        'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"',
    },
  })
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new BcHttpError(400, 'BadRequest', 'The request body is not valid JSON.')
  }
}

function injectedFault(state: SandboxState): Response | undefined {
  const { faults } = state
  const now = state.now().toISOString()
  if (faults.outageFrom && now >= faults.outageFrom && (!faults.outageTo || now < faults.outageTo)) {
    return errorResponse(
      new BcHttpError(503, 'Internal_ServiceUnavailable', 'The service is temporarily unavailable.', {
        'retry-after': '1',
      }),
    )
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
    const status = faults.errorStatus
    const headers: Record<string, string> = status === 429 || status === 503 ? { 'retry-after': '1' } : {}
    return errorResponse(
      new BcHttpError(
        status,
        status === 429 ? 'Application_TooManyRequests' : 'Internal_ServerError',
        'Injected fault.',
        headers,
      ),
    )
  }
  return undefined
}

/** Serves one request under `/v2.0/`; `rest` is the path after it. */
export async function serveApi(gateway: Gateway, request: Request, rest: string): Promise<Response> {
  const { state, entra, limiter, subscriptions } = gateway
  const fault = injectedFault(state)
  if (fault) return fault

  const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
  const principal: Principal | undefined = token ? entra.principalOf(token) : undefined
  if (!principal) return unauthorized()
  if (!state.apps.get(principal.clientId)?.registeredInBc) {
    return errorResponse(
      new BcHttpError(
        401,
        'Authentication_InvalidCredentials',
        'The server has rejected the client credentials.',
      ),
    )
  }

  const parts = rest.split('/')
  const [tenant, environment, apiWord, version] =
    parts[1] === 'api' ? [principal.tenantId, parts[0], parts[1], parts[2]] : parts
  const after = parts.slice(parts[1] === 'api' ? 3 : 4).join('/')
  if (tenant !== principal.tenantId && tenant !== 'cronus.vn') return unauthorized()
  if (!environment || !state.environments.includes(environment)) {
    return errorResponse(
      new BcHttpError(
        404,
        'NoEnvironment',
        `Environment '${environment}' does not exist in tenant '${tenant}'.`,
      ),
    )
  }
  if (apiWord !== 'api' || version !== 'v2.0') {
    return errorResponse(
      new BcHttpError(404, 'BadRequest_ResourceNotFound', 'No API route matches the request.'),
    )
  }
  const apiBase = `${gateway.root}/v2.0/${tenant}/${environment}/api/v2.0`
  const principalKey = principal.user ?? principal.clientId
  const url = new URL(request.url)
  const key = statKey(request.method, after)
  state.stats.requests[key] = (state.stats.requests[key] ?? 0) + 1

  let release: (() => void) | undefined
  try {
    const body = await readBody(request)
    const isBatch = after === '$batch'
    const items = isBatch ? batchItems(body) : []
    limiter.spend(
      principalKey,
      isBatch && state.settings.countBatchOperations ? Math.max(1, items.length) : 1,
    )
    release = await limiter.acquire(principalKey)
    // Latency is processing time: it holds the concurrency slot, as a slow BC request does.
    if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs)
    const req: ApiRequest = {
      method: request.method,
      url,
      headers: request.headers,
      body,
      principal,
      apiBase,
    }
    if (request.headers.get('data-access-intent')?.toLowerCase() === 'readonly' && request.method !== 'GET') {
      throw new BcHttpError(
        400,
        'BadRequest',
        'Data-Access-Intent ReadOnly is not allowed on write requests.',
      )
    }
    let answer: ApiResponse
    if (isBatch) {
      answer = await runBatch(state, req, items, async (inner, path) => {
        const k = statKey(inner.method, path)
        state.stats.batchOperations[k] = (state.stats.batchOperations[k] ?? 0) + 1
        return dispatchApi(state, subscriptions, inner, path)
      })
    } else answer = await dispatchApi(state, subscriptions, req, after)
    if (
      request.method !== 'GET' &&
      state.faults.commitThenTimeoutRate > 0 &&
      Math.random() < state.faults.commitThenTimeoutRate
    ) {
      return errorResponse(new BcHttpError(504, 'Internal_GatewayTimeout', 'The operation timed out.'))
    }
    return toResponse(answer)
  } catch (error) {
    if (error instanceof BcHttpError) {
      if (error.status === 429) state.stats.throttled += 1
      return errorResponse(error)
    }
    throw error
  } finally {
    release?.()
  }
}

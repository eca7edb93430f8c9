import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { EgressPolicy } from './egress-policy.ts'
import { urlRefusal } from './egress-refusal.ts'

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'an invalid URL'
  }
}

/** The policy's refusal found anywhere in an error's cause chain (undici wraps connect errors). */
function refusalIn(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'FERRY_EGRESS_REFUSED') return (e as Error).message
  }
  return undefined
}

/** True when the failure was the connect timeout. */
function connectTimedOut(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') return true
  }
  return false
}

/**
 * Every request a connection sends passes here: the URL is judged by the egress policy, redirects are
 * never followed (a 3xx goes back to the connector, which must not carry credentials elsewhere), and
 * the whole exchange — connect, headers and body — must finish within the policy's total timeout or
 * when the caller's signal aborts. The body is read here so that a stalled body times out too; the
 * connector gets a complete answer. Refusals are `config` errors; timeouts `transient`.
 */
export function egressFetch(policy: EgressPolicy, transport: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input)
    const refusal = urlRefusal(policy, url)
    if (refusal)
      throw new ConnectorError(
        'config',
        `Ferry's egress policy refused a request to ${originOf(url)}: ${refusal}.`,
      )
    const timeout = AbortSignal.timeout(policy.totalTimeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    try {
      const response = await transport(input, { ...init, redirect: 'manual', signal })
      const body = await response.arrayBuffer()
      const empty = response.status === 204 || response.status === 205 || response.status === 304
      return new Response(empty ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    } catch (error) {
      const origin = originOf(url)
      const refused = refusalIn(error)
      if (refused) throw new ConnectorError('config', `Ferry's egress policy refused ${origin}: ${refused}.`)
      if (init?.signal?.aborted && !timeout.aborted)
        throw new ConnectorError('transient', `The request to ${origin} was cancelled (the job stopped).`)
      if (timeout.aborted)
        throw new ConnectorError(
          'transient',
          `${origin} did not answer completely within ${policy.totalTimeoutMs} ms.`,
        )
      if (connectTimedOut(error))
        throw new ConnectorError(
          'transient',
          `Could not connect to ${origin} within ${policy.connectTimeoutMs} ms.`,
        )
      throw error
    }
  }
}

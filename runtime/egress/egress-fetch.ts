import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { EgressPolicy } from './egress-policy.ts'
import { urlRefusal } from './egress-refusal.ts'
import type { networkFetch } from './network-fetch.ts'

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

/** The error with `code` found in an error's cause chain (undici wraps connect errors). */
function withCode(error: unknown, ...codes: string[]): Error | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (codes.includes((e as { code?: string }).code ?? '')) return e as Error
  }
  return undefined
}

/**
 * Every request a connection sends passes here: the URL is judged by the egress policy, redirects are
 * never followed (a 3xx goes back to the connector, which must not carry credentials elsewhere), and
 * the whole exchange — connect, headers and body — must finish within the policy's total timeout or
 * when the caller's signal aborts. The body is read here so that a stalled body times out too; the
 * connector gets a complete answer. Refusals are `config` errors; timeouts `transient`. A `complete`
 * transport ({@link networkFetch}) keeps both promises itself — it resolves only with a read answer and
 * fails with `FERRY_TOTAL_TIMEOUT` after the policy's total timeout — so neither is paid for twice.
 */
export function egressFetch(
  policy: EgressPolicy,
  transport: typeof fetch,
  options: { complete?: boolean } = {},
): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input)
    const refusal = urlRefusal(policy, url)
    if (refusal)
      throw new ConnectorError(
        'config',
        `Ferry's egress policy refused a request to ${originOf(url)}: ${refusal}.`,
      )
    if (options.complete) {
      try {
        return await transport(input, { ...init, redirect: 'manual' })
      } catch (error) {
        throw failure(error, url, init?.signal, withCode(error, 'FERRY_TOTAL_TIMEOUT') !== undefined)
      }
    }
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
      throw failure(error, url, init?.signal, timeout.aborted)
    }
  }

  /** What a request that failed tells the connector: a refusal, a cancellation, a timeout, or the error itself. */
  function failure(error: unknown, url: string, caller: AbortSignal | null | undefined, timedOut: boolean) {
    const origin = originOf(url)
    const refused = withCode(error, 'FERRY_EGRESS_REFUSED')
    if (refused)
      return new ConnectorError('config', `Ferry's egress policy refused ${origin}: ${refused.message}.`)
    if (caller?.aborted && !timedOut)
      return new ConnectorError('transient', `The request to ${origin} was cancelled (the job stopped).`)
    if (timedOut)
      return new ConnectorError(
        'transient',
        `${origin} did not answer completely within ${policy.totalTimeoutMs} ms.`,
      )
    if (withCode(error, 'FERRY_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'))
      return new ConnectorError(
        'transient',
        `Could not connect to ${origin} within ${policy.connectTimeoutMs} ms.`,
      )
    return error
  }
}

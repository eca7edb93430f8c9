/**
 * Injected faults: throttling (429), outages (503, 500 ResponseEntityList), credential expiry (401
 * mid-paging) and slow answers, each limited to matching requests and a number of occurrences.
 */
import { errorResponse, jsonResponse } from '../protocol/response-entity-list.ts'

/** One fault rule, as posted to `POST /__sandbox/faults`. */
export interface FaultRule {
  /** Status to answer with (401, 429, 500, 503, …); absent for a pure delay. */
  status?: number
  /** `Retry-After` header value (seconds) for 429/503. */
  retryAfter?: string
  /** Delay before answering (or before serving normally, without `status`). */
  delayMs?: number
  /** With 401: also expire every issued token, as a real expiry would. */
  expireTokens?: boolean
  /** Only requests with this method… */
  method?: string
  /** …whose path (after the base path) contains this text. */
  path?: string
  /** Let this many matching requests through first. */
  skip?: number
  /** How many matching requests to fault (default 1). */
  times?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function faultResponse(rule: FaultRule): Response {
  const headers: Record<string, string> = rule.retryAfter ? { 'Retry-After': rule.retryAfter } : {}
  switch (rule.status) {
    case 401:
      return jsonResponse(401, { message: 'Unauthorized' })
    case 429:
      return jsonResponse(429, { message: 'Too Many Requests' }, headers)
    case 500:
      return errorResponse(500, [
        { type: 'TECHNICAL', code: 'UNEXPECTED_ERROR', message: 'An unexpected error occurred' },
      ])
    default:
      return jsonResponse(rule.status!, { message: 'Service Unavailable' }, headers)
  }
}

/** The active rules, consumed in order. */
export class FaultInjector {
  readonly rules: FaultRule[] = []

  add(rule: FaultRule): void {
    this.rules.push({ times: 1, skip: 0, ...rule })
  }

  /** Applies the first rule matching the request: a delay, a fault response, or nothing (null). */
  async apply(method: string, path: string, onExpireTokens: () => void): Promise<Response | null> {
    const index = this.rules.findIndex(
      (r) => (!r.method || r.method === method) && (!r.path || path.includes(r.path)),
    )
    const rule = this.rules[index]
    if (!rule) return null
    if (rule.skip! > 0) {
      rule.skip!--
      return null
    }
    rule.times!--
    if (rule.times! <= 0) this.rules.splice(index, 1)
    if (rule.delayMs) await sleep(rule.delayMs)
    if (!rule.status) return null
    if (rule.status === 401 && rule.expireTokens) onExpireTokens()
    return faultResponse(rule)
  }

  clear(): void {
    this.rules.length = 0
  }
}

/**
 * Request counters of the sandbox, by method and route pattern, for benchmarks' calls-per-record
 * accounting and for tests that assert how many calls a connector made.
 */

/** Counts requests by `METHOD /route/:pattern` and throttled answers. */
export class RequestStats {
  readonly byRoute = new Map<string, number>()
  throttled = 0
  total = 0

  /** Records one answered request. */
  record(method: string, route: string, status: number): void {
    const key = `${method} ${route}`
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1)
    this.total++
    if (status === 429) this.throttled++
  }

  /** The number of requests to one route so far. */
  count(method: string, route: string): number {
    return this.byRoute.get(`${method} ${route}`) ?? 0
  }

  /** A JSON view for `GET /__sandbox/stats`. */
  toJSON(): Record<string, unknown> {
    return { total: this.total, throttled: this.throttled, byRoute: Object.fromEntries(this.byRoute) }
  }

  reset(): void {
    this.byRoute.clear()
    this.throttled = 0
    this.total = 0
  }
}

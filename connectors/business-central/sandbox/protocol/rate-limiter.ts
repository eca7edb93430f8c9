/**
 * BC's per-principal limits: a sliding-window request budget (6,000 per 5 minutes online) and a cap
 * on requests processed at once (5) with a bounded queue (95) behind it. Off until configured.
 */
import { BcHttpError } from './bc-http-error.ts'

/** Limits in force; absent fields are not enforced. */
export interface LimitConfig {
  requests?: number
  windowMs?: number
  concurrency?: number
  maxQueue?: number
  /** Send `Retry-After` on 429 (BC does not document it; on by default here). */
  retryAfter?: boolean
}

interface PrincipalUsage {
  stamps: number[]
  active: number
  queue: (() => void)[]
}

/** Enforces the limits per principal. */
export class RateLimiter {
  config: LimitConfig = {}
  private readonly usage = new Map<string, PrincipalUsage>()

  constructor(private readonly now: () => number) {}

  private of(principal: string): PrincipalUsage {
    const usage = this.usage.get(principal) ?? { stamps: [], active: 0, queue: [] }
    this.usage.set(principal, usage)
    return usage
  }

  /** Counts `cost` requests against the budget; throws a 429 when it is spent. */
  spend(principal: string, cost = 1): void {
    const { requests, windowMs = 300_000, retryAfter = true } = this.config
    if (!requests) return
    const usage = this.of(principal)
    const now = this.now()
    while (usage.stamps.length > 0 && usage.stamps[0]! <= now - windowMs) usage.stamps.shift()
    if (usage.stamps.length + cost > requests) {
      const waitMs = usage.stamps.length > 0 ? usage.stamps[0]! + windowMs - now : windowMs
      const headers: Record<string, string> = retryAfter
        ? { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) }
        : {}
      throw new BcHttpError(
        429,
        'Application_TooManyRequests',
        'The rate limit for this user has been exceeded. Retry later.',
        headers,
      )
    }
    for (let i = 0; i < cost; i++) usage.stamps.push(now)
  }

  /** Waits for a processing slot; returns its release. Throws a 429 when the queue is full. */
  async acquire(principal: string): Promise<() => void> {
    const { concurrency, maxQueue = 95 } = this.config
    if (!concurrency) return () => {}
    const usage = this.of(principal)
    if (usage.active >= concurrency) {
      if (usage.queue.length >= maxQueue) {
        throw new BcHttpError(
          429,
          'Application_TooManyRequests',
          'Too many requests are queued for this user.',
          { 'retry-after': '1' },
        )
      }
      await new Promise<void>((resolve) => usage.queue.push(resolve))
    } else usage.active += 1
    let released = false
    return () => {
      if (released) return
      released = true
      const next = usage.queue.shift()
      if (next) next()
      else usage.active -= 1
    }
  }
}

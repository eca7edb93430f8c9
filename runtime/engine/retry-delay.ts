import type { FlowRetry } from '../../core/manifest/flow-schema.ts'
import { durationMs } from '../../core/manifest/manifest-patterns.ts'

/** The resolved retry policy of a flow. */
export interface RetryPolicy {
  limit: number
  backoff: 'exponential' | 'fixed'
  delayMs: number
  maxDelayMs: number
}

/** Applies the manifest defaults (8 retries, exponential from 5 s, at most 15 min). */
export function retryPolicy(retry: FlowRetry | undefined): RetryPolicy {
  return {
    limit: retry?.limit ?? 8,
    backoff: retry?.backoff ?? 'exponential',
    delayMs: durationMs(retry?.delay ?? '5s'),
    maxDelayMs: durationMs(retry?.maxDelay ?? '15m'),
  }
}

/**
 * Delay before retry number `attempt` (1-based): exponential with full jitter between half and the
 * whole step, capped; a remote Retry-After wins when it is longer.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const step = policy.backoff === 'fixed' ? policy.delayMs : policy.delayMs * 2 ** Math.max(0, attempt - 1)
  const capped = Math.min(step, policy.maxDelayMs)
  const jittered = Math.round(capped / 2 + (random() * capped) / 2)
  return Math.max(jittered, retryAfterMs ?? 0)
}

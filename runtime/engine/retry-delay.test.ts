import { describe, expect, it } from 'vitest'
import { retryDelay, retryPolicy } from './retry-delay.ts'

describe('retry delay', () => {
  const policy = retryPolicy({ delay: '2s', maxDelay: '1m' })

  it('doubles per attempt within half-to-full jitter, and caps at maxDelay', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(1_000)
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(2_000)
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(8_000)
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(60_000)
  })

  it('honours a longer Retry-After', () => {
    expect(retryDelay(policy, 1, 30_000, () => 1)).toBe(30_000)
    expect(retryDelay(policy, 3, 10, () => 1)).toBe(8_000)
  })

  it('uses the documented defaults', () => {
    expect(retryPolicy(undefined)).toEqual({
      limit: 8,
      backoff: 'exponential',
      delayMs: 5_000,
      maxDelayMs: 900_000,
    })
  })
})

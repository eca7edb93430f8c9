import { describe, expect, it } from 'vitest'
import { bucketShape } from './limited-fetch.ts'

describe('bucketShape', () => {
  // Worst case in one window T: a full bucket (B), refills over T, and the debt a request of `cost`
  // leaves when admitted on the last token (cost − 1). It must stay within the budget N.
  const worstWindow = (budget: { requests: number; perMs: number }, cost: number) => {
    const { burst, perMs } = bucketShape(budget, cost)
    return burst + perMs * budget.perMs + (cost - 1)
  }

  it.each([
    [{ requests: 30, perMs: 3_000 }, 10],
    [{ requests: 200, perMs: 10_000 }, 2],
    [{ requests: 200, perMs: 10_000 }, 100],
    [{ requests: 6_000, perMs: 300_000 }, 100],
  ])('keeps %o within its budget for $batch calls of %i operations', (budget, cost) => {
    expect(worstWindow(budget, cost)).toBeLessThanOrEqual(budget.requests)
  })

  it('keeps most of a large budget for the rate when the calls are small', () => {
    const { burst, perMs } = bucketShape({ requests: 6_000, perMs: 300_000 })
    expect(burst + perMs * 300_000).toBeGreaterThanOrEqual(5_940)
  })
})

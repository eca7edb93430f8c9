import { describe, expect, it } from 'vitest'
import { percentile } from './percentile.ts'

describe('percentile', () => {
  it('takes the nearest rank, so p99 of 100 values is the 99th smallest, not the largest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 100)).toBe(100)
  })

  it('answers the only value of a one-element list and refuses an empty one or a bad rank', () => {
    expect(percentile([7], 1)).toBe(7)
    expect(() => percentile([], 50)).toThrow(RangeError)
    expect(() => percentile([1], 0)).toThrow(RangeError)
  })
})

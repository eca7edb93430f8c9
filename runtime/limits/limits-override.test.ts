import { describe, expect, it } from 'vitest'
import type { Connector } from '../../core/connector/connector.ts'
import { parseLimitsOverride } from './limits-override.ts'

const bc = {
  id: 'business-central',
  limits: { budget: { requests: 6000, perMs: 300_000 }, concurrency: 5 },
} as Connector
const misa = { id: 'misa', limits: { concurrency: 4 } } as Connector

describe('parseLimitsOverride (FERRY_LIMITS)', () => {
  it('is absent when the variable is unset or blank', () => {
    expect(parseLimitsOverride(undefined)).toBeUndefined()
    expect(parseLimitsOverride('  ')).toBeUndefined()
  })

  it('replaces the named connector and keeps the others declared', () => {
    const limitsFor = parseLimitsOverride(
      '{"business-central":{"budget":{"requests":30,"perMs":3000},"concurrency":2}}',
    )!
    expect(limitsFor(bc)).toEqual({ budget: { requests: 30, perMs: 3000 }, concurrency: 2 })
    expect(limitsFor(misa)).toEqual({ concurrency: 4 })
  })

  it('null turns a connector’s limits off', () => {
    expect(parseLimitsOverride('{"business-central":null}')!(bc)).toEqual({})
  })

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /expected an object/],
    ['a budget without a window', '{"business-central":{"budget":{"requests":30}}}', /budget/],
    ['a negative budget', '{"business-central":{"budget":{"requests":-1,"perMs":1000}}}', /budget/],
    ['a fractional concurrency', '{"business-central":{"concurrency":1.5}}', /concurrency/],
    ['a string for limits', '{"business-central":"fast"}', /object or null/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseLimitsOverride(text)).toThrow(message)
  })
})

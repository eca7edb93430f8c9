import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'

const evaluate = (source: string, input: unknown = {}) => compileMapping(source).evaluate(input)

describe('$roundMoney', () => {
  it.each([
    ['$roundMoney(1.005)', 1.01],
    ['$roundMoney(2.675)', 2.68],
    ['$roundMoney(1.045)', 1.05],
    ['$roundMoney(-1.005)', -1.01],
    ['$roundMoney(-2.5, 0)', -3],
    ['$roundMoney(2.5, 0)', 3],
    ['$roundMoney(0.125, 2)', 0.13],
    ['$roundMoney(1.23456, 4)', 1.2346],
    ['$roundMoney(-0.001)', 0],
    ['$roundMoney(1e21)', 1e21],
    ['$roundMoney(1.5e-7, 2)', 0],
    ['$roundMoney(123456789.125)', 123456789.13],
    ['$roundMoney(4294967296.005)', 4294967296.01],
    ["$roundMoney('182.405')", 182.41],
    ['$roundMoney(42)', 42],
  ])('%s = %d', async (source, expected) => {
    expect(await evaluate(source)).toBe(expected)
  })

  it('leaves a missing amount missing', async () => {
    expect(await evaluate("{ 'a': $roundMoney(nothing) }")).toEqual({})
  })

  it.each([
    ["$roundMoney('abc')", 'invalid_amount'],
    ['$roundMoney(true)', 'invalid_amount'],
    ['$roundMoney(1.5, -1)', 'invalid_argument'],
    ['$roundMoney(1.5, 1.5)', 'invalid_argument'],
  ])('%s fails with %s', async (source, code) => {
    await expect(evaluate(source)).rejects.toMatchObject({ code })
  })
})

describe('$sumMoney', () => {
  it.each([
    ['$sumMoney([0.1, 0.2])', 0.3],
    ['$sumMoney([1.005, 1.005])', 2.01],
    ['$sumMoney([1.005, 1.005], 3)', 2.01],
    ['$sumMoney([100.10, -50.05, -50.05])', 0],
    ['$sumMoney(lines.amount)', 30.03],
    ['$sumMoney(nothing)', 0],
    ['$sumMoney(7.125)', 7.13],
    ['$sumMoney([3000000000, 4000000000], 0)', 7000000000],
  ])('%s = %d', async (source, expected) => {
    expect(await evaluate(source, { lines: [{ amount: 10.01 }, { amount: 20.02 }] })).toBe(expected)
  })

  it('rejects a null amount instead of skipping it', async () => {
    await expect(evaluate('$sumMoney([1, null])')).rejects.toMatchObject({ code: 'invalid_amount' })
  })
})

describe('$allocate', () => {
  it.each([
    ['$allocate(100, [1, 1, 1])', [33.33, 33.33, 33.34]],
    ['$allocate(100, [1, 1, 1], 0)', [33, 33, 34]],
    ['$allocate(-100, [1, 1, 1])', [-33.33, -33.33, -33.34]],
    ['$allocate(10, [1, 2, 3, 4], 0)', [1, 2, 3, 4]],
    ['$allocate(1000000, [0.5, 0.25, 0.25], 0)', [500000, 250000, 250000]],
    ['$allocate(0.05, [1, 1], 2)', [0.03, 0.02]],
    ['$allocate(99.99, [5])', [99.99]],
    ['$allocate(10000000001, [1, 1, 1], 0)', [3333333334, 3333333334, 3333333333]],
  ])('%s = %j', async (source, expected) => {
    expect(await evaluate(source)).toEqual(expected)
  })

  it('always adds up to the total exactly', async () => {
    const shares = (await evaluate('$allocate(1234567.89, [3.3, 1.1, 7.7, 0.01, 5])')) as number[]
    const cents = shares.reduce((sum, share) => sum + Math.round(share * 100), 0)
    expect(cents).toBe(123456789)
  })

  it.each([
    ['$allocate(100, [])', 'invalid_argument'],
    ['$allocate(100, [1, -1])', 'invalid_argument'],
    ["$allocate('x', [1])", 'invalid_amount'],
  ])('%s fails with %s', async (source, code) => {
    await expect(evaluate(source)).rejects.toMatchObject({ code })
  })
})

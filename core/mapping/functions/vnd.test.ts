import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'

const evaluate = (source: string) => compileMapping(source).evaluate({})

describe('$vnd', () => {
  it.each([
    ['$vnd(18518518.52)', 18518519],
    ['$vnd(18518518.5)', 18518519],
    ['$vnd(18518518.49)', 18518518],
    ['$vnd(-1500.5)', -1501],
    ['$vnd(4294967296.5)', 4294967297],
    ['$vnd(9007199254740991)', 9007199254740991],
    ["$vnd('25000000')", 25000000],
  ])('%s = %d', async (source, expected) => {
    expect(await evaluate(source)).toBe(expected)
  })

  it('fails on text that is not an amount', async () => {
    await expect(evaluate("$vnd('25.000.000 đ')")).rejects.toMatchObject({ code: 'invalid_amount' })
  })
})

describe('$toVnd', () => {
  it.each([
    ['$toVnd(100, 25400)', 2540000],
    ['$toVnd(12.5, 25400.5)', 317506],
    ["$toVnd(12.5, 25400.5, '*')", 317506],
    ["$toVnd(2540000, 25400, '/')", 100],
    ["$toVnd(1000, 3, '/')", 333],
    ["$toVnd(1001, 2, '/')", 501],
    ["$toVnd(-1001, 2, '/')", -501],
    ['$toVnd(-0.005, 100)', -1],
    ['$toVnd(1000000, 25400)', 25400000000],
    ['$toVnd(0.1, 0.2)', 0],
  ])('%s = %d', async (source, expected) => {
    expect(await evaluate(source)).toBe(expected)
  })

  it.each([
    ["$toVnd(1, 0, '/')", 'invalid_argument'],
    ["$toVnd(1, 2, 'x')", 'invalid_argument'],
    ["$toVnd(1, 'rate')", 'invalid_amount'],
  ])('%s fails with %s', async (source, code) => {
    await expect(evaluate(source)).rejects.toMatchObject({ code })
  })
})

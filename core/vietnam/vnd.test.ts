import { describe, expect, it } from 'vitest'
import { assertVnd, convertToVnd, distributeVnd, lineAmount, roundVnd, sumVnd, voucherTotals } from './vnd.ts'

describe('roundVnd', () => {
  it.each([
    [1.5, 2],
    [2.5, 3],
    [-1.5, -2],
    [1.4999, 1],
    [1.005 * 1000, 1005],
    [0.1 * 3 * 10, 3],
    [-0.4, 0],
  ])('rounds %d to %d', (input, expected) => expect(roundVnd(input)).toBe(expected))
  it('refuses NaN', () => expect(() => roundVnd(Number.NaN)).toThrow(/finite/))
})

describe('assertVnd and sumVnd', () => {
  it('accepts whole đồng', () => expect(sumVnd([1_000_000, 80_000, 1])).toBe(1_080_001))
  it('refuses a fraction with its position', () => expect(() => sumVnd([1, 2.5])).toThrow(/amount #2/))
  it('refuses unsafe integers', () => expect(() => assertVnd(2 ** 60)).toThrow(/whole number/))
})

describe('lineAmount', () => {
  it.each([
    [10, 100_000, 1_000_000],
    [3, 18_518_518.52, 55_555_556],
    [0.5, 33_333, 16_667],
  ])('%d × %d = %d', (q, p, expected) => expect(lineAmount(q, p)).toBe(expected))
})

describe('distributeVnd', () => {
  it('puts the remainder on the last line', () => {
    expect(distributeVnd(100, [1, 1, 1])).toEqual([33, 33, 34])
  })
  it('keeps the total exact for proportional weights', () => {
    const parts = distributeVnd(1_000_001, [333, 333, 334])
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1_000_001)
    expect(parts[0]).toBe(333_000)
  })
  it('handles negative totals (credit notes)', () => expect(distributeVnd(-10, [1, 2])).toEqual([-3, -7]))
  it.each([
    ['no lines', 10, []],
    ['zero weights', 10, [0, 0]],
    ['fractional total', 10.5, [1]],
  ])('refuses %s', (_name, total, weights) => expect(() => distributeVnd(total, weights)).toThrow())
})

describe('convertToVnd', () => {
  it.each([
    [100, 25_400, '*', 2_540_000],
    [12.34, 25_400, '*', 313_436],
    [2_540_000, 25_400, '/', 100],
    [1, 3, '/', 0],
  ] as const)('%d %s %d', (amount, rate, op, expected) =>
    expect(convertToVnd(amount, rate, op)).toBe(expected),
  )
  it('refuses a zero rate', () => expect(() => convertToVnd(1, 0)).toThrow(/positive/))
  it('refuses an unknown operator', () => expect(() => convertToVnd(1, 1, 'x' as '*')).toThrow(/operator/))
})

describe('voucherTotals', () => {
  it('computes sale − discount + VAT', () => {
    expect(
      voucherTotals([
        { amount: 1_000_000, vat_amount: 80_000 },
        { amount: 500_000, vat_amount: 50_000, discount_amount: 10_000 },
      ]),
    ).toEqual({
      total_sale_amount: 1_500_000,
      total_discount_amount: 10_000,
      total_vat_amount: 130_000,
      total_amount: 1_620_000,
    })
  })
})

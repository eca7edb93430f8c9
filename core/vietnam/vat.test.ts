import { describe, expect, it } from 'vitest'
import {
  amisOtherVatRate,
  amisVatRate,
  computeVat,
  needsNonCashPayment,
  parseVatCode,
  vatCodeOf,
} from './vat.ts'

describe('parseVatCode', () => {
  it.each([
    [10, 10, null, '10%'],
    ['8%', 8, null, '8%'],
    [' 5 % ', 5, null, '5%'],
    ['0', 0, null, '0%'],
    ['KCT', -1, null, 'KCT'],
    ['kkknt', -2, null, 'KKKNT'],
    [-1, -1, null, 'KCT'],
    [-2, -2, null, 'KKKNT'],
    ['KHAC:3.5%', -3, 3.5, 'KHAC:3.5%'],
    [7, -3, 7, 'KHAC:7%'],
  ])('maps %s to vat_rate %d', (input, vatRate, other, code) => {
    expect(parseVatCode(input)).toMatchObject({ vatRate, otherVatRate: other, code })
  })

  it('reads vat_rate -3 with other_vat_rate', () =>
    expect(parseVatCode(-3, 4)).toMatchObject({ code: 'KHAC:4%', percent: 4 }))

  it.each([
    ['-3 without other rate', -3],
    ['unknown word', 'VAT'],
    ['negative other', -5],
    ['100 %', '100%'],
    ['empty', ''],
  ])('refuses %s', (_name, input) => expect(() => parseVatCode(input)).toThrow())
})

describe('AMIS fields', () => {
  it('amisVatRate and amisOtherVatRate split a code', () => {
    expect(amisVatRate('KHAC:2%')).toBe(-3)
    expect(amisOtherVatRate('KHAC:2%')).toBe(2)
    expect(amisOtherVatRate('10%')).toBeNull()
  })
  it('vatCodeOf goes back from AMIS fields', () => {
    expect(vatCodeOf(-1)).toBe('KCT')
    expect(vatCodeOf(-3, 3.5)).toBe('KHAC:3.5%')
  })
})

describe('computeVat', () => {
  it.each([
    [1_000_000, 8, 80_000],
    [1_000_000, '10%', 100_000],
    [123_457, 5, 6_173],
    [123_450, 5, 6_173],
    [999_999, 'KCT', 0],
    [1_000_000, 'KKKNT', 0],
    [-1_000_000, 10, -100_000],
  ])('VAT on %d at %s is %d', (amount, code, vat) => expect(computeVat(amount, code)).toBe(vat))
  it('uses other_vat_rate for -3', () => expect(computeVat(200_000, -3, 3.5)).toBe(7_000))
})

describe('needsNonCashPayment', () => {
  it.each([
    [4_999_999, false],
    [5_000_000, true],
    [20_000_000, true],
    [-6_000_000, true],
  ])('%d → %s', (amount, expected) => expect(needsNonCashPayment(amount)).toBe(expected))
  it('refuses NaN', () => expect(() => needsNonCashPayment(Number.NaN)).toThrow(/finite/))
})

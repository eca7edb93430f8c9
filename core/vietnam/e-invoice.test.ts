import { describe, expect, it } from 'vitest'
import {
  invoiceKey,
  normalizeCqtCode,
  normalizeInvoiceNumber,
  parseFormNumber,
  parseInvoiceSymbol,
} from './e-invoice.ts'

describe('parseInvoiceSymbol', () => {
  it.each([
    [
      '1C26THG',
      {
        formNumber: '1',
        symbol: 'C26THG',
        withCqtCode: true,
        year: 2026,
        invoiceType: 'T',
        sellerCode: 'HG',
      },
    ],
    ['C26TAA', { formNumber: null, symbol: 'C26TAA', withCqtCode: true }],
    ['2k25mab', { formNumber: '2', symbol: 'K25MAB', withCqtCode: false, invoiceType: 'M' }],
    ['6K26NAB', { formNumber: '6', invoiceType: 'N' }],
  ])('parses %s', (input, expected) => expect(parseInvoiceSymbol(input)).toMatchObject(expected))

  it.each([
    ['form 7', '7C26THG', /form number/],
    ['X instead of C/K', 'X26THG', /must look like/],
    ['unknown type letter', 'C26ZAB', /type letter/],
    ['too short', 'C26T', /must look like/],
    ['old-style series', 'AA/20E', /must look like/],
  ])('rejects %s', (_name, input, message) => expect(() => parseInvoiceSymbol(input)).toThrow(message))
})

describe('parseFormNumber', () => {
  it.each(['1', 6, ' 2 '])('accepts %s', (v) => expect(parseFormNumber(v)).toBe(String(v).trim()))
  it.each(['0', '7', '01GTKT', ''])('rejects %s', (v) => expect(() => parseFormNumber(v)).toThrow(/1-6/))
})

describe('normalizeInvoiceNumber', () => {
  it.each([
    ['123', '00000123'],
    [7140, '00007140'],
    ['00000001', '00000001'],
  ])('%s → %s', (input, expected) => expect(normalizeInvoiceNumber(input)).toBe(expected))
  it.each(['0', '123456789', '12a', ''])('rejects %s', (v) =>
    expect(() => normalizeInvoiceNumber(v)).toThrow(),
  )
})

describe('normalizeCqtCode', () => {
  it('accepts and upper-cases 34 hex characters', () => {
    expect(normalizeCqtCode('00a1b2c3d4e5f60718293a4b5c6d7e8f90')).toBe('00A1B2C3D4E5F60718293A4B5C6D7E8F90')
  })
  it.each(['00A1', `${'G'.repeat(34)}`, `${'A'.repeat(35)}`])('rejects %s', (v) =>
    expect(() => normalizeCqtCode(v)).toThrow(/34/),
  )
})

describe('invoiceKey', () => {
  it('builds the natural key', () => {
    expect(invoiceKey('0100047516', 1, '1C26THG', 123)).toBe('0100047516|1|C26THG|00000123')
    expect(invoiceKey('0100047516', '1', 'C26THG', '00000123')).toBe('0100047516|1|C26THG|00000123')
  })
  it('rejects a symbol whose form disagrees', () =>
    expect(() => invoiceKey('0100047516', 2, '1C26THG', 1)).toThrow(/carries form 1/))
})

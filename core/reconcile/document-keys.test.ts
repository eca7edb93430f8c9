import { describe, expect, it } from 'vitest'
import { normaliseReference, strongKeys, weakKey } from './document-keys.ts'

describe('normaliseReference', () => {
  it.each([
    ['1C26TAA0000123', '1C26TAA123'],
    ['1c26taa-0000123', '1C26TAA123'],
    [' 1C26 TAA 123 ', '1C26TAA123'],
    ['HD/2026/007', 'HD20267'],
    ['INV-0', 'INV0'],
    ['ＩＮＶ１２', 'INV12'],
  ])('%s → %s', (input, output) => expect(normaliseReference(input)).toBe(output))
})

describe('document keys', () => {
  it('vendor + number, tax id + number and named keys are strong; the number alone is weak', () => {
    const doc = {
      party: 'v0010',
      taxId: '0100-047-516',
      reference: '1C26TAA0000123',
      keys: { invoiceId: 'abc' },
    }
    expect(strongKeys(doc)).toEqual([
      'party-reference:V0010|1C26TAA123',
      'tax-reference:0100047516|1C26TAA123',
      'invoiceId:abc',
    ])
    expect(weakKey(doc)).toBe('1C26TAA123')
  })
  it('a document without a number has no vendor key', () => expect(strongKeys({ party: 'V1' })).toEqual([]))
})

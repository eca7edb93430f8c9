import { describe, expect, it } from 'vitest'
import { isValidMst, mstCheckDigit, normalizeMst, validateMst } from './mst.ts'

describe('validateMst', () => {
  it.each([
    ['worked example from the circular', '0100047516', 'organisation', '0100047516'],
    ['another organisation', '0100233488', 'organisation', '0100233488'],
    ['demo company', '0314409058', 'organisation', '0314409058'],
    ['branch with dash', '0314409058-002', 'branch', '0314409058-002'],
    ['branch without dash', '0301175691044', 'branch', '0301175691-044'],
    ['surrounding spaces', ' 0100109106 ', 'organisation', '0100109106'],
    ['12-digit personal ID (no checksum)', '001203012345', 'personal', '001203012345'],
  ])('accepts %s', (_name, input, kind, normalized) => {
    const result = validateMst(input)
    expect(result).toMatchObject({ valid: true, kind, normalized })
    expect(isValidMst(input)).toBe(true)
  })

  it.each([
    ['empty', '', 'empty'],
    ['wrong check digit', '0100233480', 'checksum'],
    ['nine digits', '010023348', 'format'],
    ['eleven digits', '01002334881', 'format'],
    ['letters', '01002A3488', 'format'],
    ['branch 000', '0100233488-000', 'branch-suffix'],
    ['branch with a bad parent', '0100233480-001', 'checksum'],
    ['two-digit branch', '0100233488-01', 'format'],
    ['all-zero sequence', '0100000000', 'sequence'],
    ['checksum remainder 0 (digit would be 10)', '0100000050', 'checksum'],
  ])('rejects %s', (_name, input, rule) => {
    const result = validateMst(input)
    expect(result).toMatchObject({ valid: false, rule })
    expect(isValidMst(input)).toBe(false)
  })
})

describe('mstCheckDigit', () => {
  it('computes the documented example', () => expect(mstCheckDigit('010004751')).toBe(6))
  it('refuses anything but nine digits', () => expect(() => mstCheckDigit('12')).toThrow(/9 digits/))
})

describe('normalizeMst', () => {
  it('returns the dashed branch form', () => expect(normalizeMst('0312121218001')).toBe('0312121218-001'))
  it('throws a precise error', () => expect(() => normalizeMst('0100233480')).toThrow(/check digit/))
})

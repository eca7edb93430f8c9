import { describe, expect, it } from 'vitest'
import {
  describeMappingError,
  isTransientMappingError,
  MappingError,
  positionAt,
  toMappingError,
} from './mapping-error.ts'

describe('positionAt', () => {
  it.each([
    ['abc', 0, { offset: 0, line: 1, col: 1 }],
    ['abc', 2, { offset: 2, line: 1, col: 2 }],
    ['ab\ncd\nef', 7, { offset: 7, line: 3, col: 1 }],
    ['ab\ncd', 99, { offset: 5, line: 2, col: 2 }],
  ])('positionAt(%j, %d)', (source, offset, expected) => {
    expect(positionAt(source, offset)).toEqual(expected)
  })
})

describe('toMappingError', () => {
  it('keeps JSONata codes and converts the offset to line:col', () => {
    const error = toMappingError({ code: 'T2001', message: 'bad', position: 5, token: '+' }, 'a\n  + 1', 'K1')
    expect(error).toMatchObject({
      code: 'T2001',
      message: 'bad',
      position: { line: 2, col: 3 },
      recordKey: 'K1',
    })
    expect(describeMappingError(error)).toBe('2:3  T2001  bad  (record K1)')
  })

  it('redacts secrets from foreign errors', () => {
    const error = toMappingError(new Error('login failed: password=s3cret!'), '')
    expect(error.code).toBe('mapping_failed')
    expect(error.message).not.toContain('s3cret')
    expect(JSON.stringify(error)).not.toContain('s3cret')
  })

  it('is a real Error with a stable name', () => {
    expect(new MappingError('x', 'y')).toBeInstanceOf(Error)
    expect(new MappingError('x', 'y').name).toBe('MappingError')
  })
})

describe('isTransientMappingError', () => {
  it.each([
    ['wall_time_limit', true],
    ['pool_closed', true],
    ['D1012', true],
    ['lookup_failed', true],
    ['memory_limit', false],
    ['output_limit', false],
    ['T2001', false],
  ])('%s → %s', (code, transient) => {
    expect(isTransientMappingError(new MappingError(code, 'x'))).toBe(transient)
  })
})

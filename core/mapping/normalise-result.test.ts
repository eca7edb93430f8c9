import { describe, expect, it } from 'vitest'
import { normaliseResult } from './normalise-result.ts'

const sequence = (...items: unknown[]) => Object.assign(items, { sequence: true, keepSingleton: true })

describe('normaliseResult', () => {
  it.each([
    ['undefined', undefined, null],
    ['a sequence', sequence(1, 2), [1, 2]],
    ['a nested sequence', { lines: sequence({ a: sequence(1) }) }, { lines: [{ a: [1] }] }],
    ['undefined members', { a: 1, b: undefined }, { a: 1 }],
    ['undefined array items', [1, undefined], [1, null]],
    ['non-finite numbers', [Number.NaN], [null]],
  ])('%s', (_, input, expected) => {
    const result = normaliseResult(input)
    expect(result).toStrictEqual(expected)
  })

  it('strips the sequence flags', () => {
    const result = normaliseResult(sequence(1)) as unknown as Record<string, unknown>
    expect(Object.keys(result)).toEqual(['0'])
  })

  it('strips keepSingleton from an array that is not a sequence (JSONata answers `singleArray[]` so)', () => {
    const flagged = Object.assign([{ foo: 'bar' }], { keepSingleton: true })
    const result = normaliseResult(flagged) as unknown as Record<string, unknown>
    expect(Object.keys(result)).toEqual(['0'])
  })

  it('returns plain subtrees as they are, without copying', () => {
    const input = { header: { a: 1 }, lines: [{ b: 2 }] }
    const result = normaliseResult(input) as typeof input
    expect(result).toBe(input)
    expect(normaliseResult({ ...input, extra: sequence(1) })).toMatchObject({ header: input.header })
  })

  it('keeps key order when it has to copy', () => {
    const result = normaliseResult({ a: 1, b: sequence(2, 3), c: 4 })
    expect(Object.keys(result as object)).toEqual(['a', 'b', 'c'])
  })
})

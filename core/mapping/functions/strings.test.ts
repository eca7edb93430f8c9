import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'

const truncate = (value: unknown, length: unknown) =>
  compileMapping('$truncate($v, $n)').evaluate({}, { vars: { v: value, n: length } })

describe('$truncate', () => {
  it.each([
    ['NW-2026-0415', 35, 'NW-2026-0415'],
    ['abcdef', 3, 'abc'],
    ['abc', 0, ''],
    [12345, 3, '123'],
    // Decomposed Vietnamese (e + combining marks) is composed first, so it fits.
    ['Thép Sài Gòn'.normalize('NFD'), 12, 'Thép Sài Gòn'],
    ['Công ty TNHH', 5, 'Công '],
    // Never cut inside a surrogate pair.
    ['ab😀cd', 3, 'ab'],
  ])('$truncate(%j, %d) = %j', async (value, length, expected) => {
    expect(await truncate(value, length)).toBe(expected)
  })

  it('keeps a missing value missing', async () => {
    expect(await truncate(null, 5)).toBeNull()
  })

  it.each([
    ['abc', -1],
    ['abc', 'ten'],
    [{ a: 1 }, 3],
  ])('$truncate(%j, %j) fails with invalid_argument', async (value, length) => {
    await expect(truncate(value, length)).rejects.toMatchObject({ code: 'invalid_argument' })
  })
})

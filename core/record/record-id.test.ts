import { describe, expect, it } from 'vitest'
import { idempotencyKey, MAX_ORDINAL, recordId, sortableId } from './record-id.ts'

const byIdOrder = (ordinals: bigint[]) =>
  ordinals
    .map((n, i) => ({ n, id: sortableId(n, 'flow', `key-${ordinals.length - i}`) }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((x) => x.n)

describe('record ids', () => {
  it('are the same for the same flow, key and version, and differ otherwise', () => {
    const a = recordId('flow-1', 'INV-1', '2026-01-01')
    expect(recordId('flow-1', 'INV-1', '2026-01-01')).toBe(a)
    expect(recordId('flow-1', 'INV-1', '2026-01-02')).not.toBe(a)
    expect(recordId('flow-2', 'INV-1', '2026-01-01')).not.toBe(a)
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('sortable ids order by ordinal whatever the hashed parts are', () => {
    expect(byIdOrder([5n, 1n, 9n, 3n, 7n])).toEqual([1n, 3n, 5n, 7n, 9n])
  })

  it('sortable ids keep ordering past 48 bits, where the old clock-derived ordinal was clamped', () => {
    const edge = 2n ** 48n
    const cases = [edge + 3n, edge - 1n, edge, edge + 1n, edge + 2n, 2n ** 52n, 2n ** 63n - 1n, MAX_ORDINAL]
    expect(byIdOrder(cases)).toEqual([...cases].sort((a, b) => (a < b ? -1 : 1)))
  })

  it('neighbouring ordinals order correctly in every bit position', () => {
    // Each pair differs in one bit band of the layout (bytes 0–5, the version nibble's neighbour, byte 7, after the variant).
    for (let bit = 0n; bit < 64n; bit++) {
      const high = 1n << bit
      const low = high - 1n
      expect(byIdOrder([high, low]), `bit ${bit}`).toEqual([low, high])
    }
  })

  it('sortable ids are valid UUIDv8 and refuse ordinals outside 64 bits', () => {
    expect(sortableId(2n ** 63n, 'x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(() => sortableId(-1, 'x')).toThrow(RangeError)
    expect(() => sortableId(MAX_ORDINAL + 1n, 'x')).toThrow(/2\^64/)
  })

  it('idempotency keys are stable and purpose-specific', () => {
    expect(idempotencyKey('r', 'write')).toBe(idempotencyKey('r', 'write'))
    expect(idempotencyKey('r', 'write')).not.toBe(idempotencyKey('r', 'ack:success'))
    expect(idempotencyKey('r', 'write')).toHaveLength(32)
  })
})

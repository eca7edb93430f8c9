import { describe, expect, it } from 'vitest'
import { idempotencyKey, recordId, sortableId } from './record-id.ts'

describe('record ids', () => {
  it('are the same for the same flow, key and version, and differ otherwise', () => {
    const a = recordId('flow-1', 'INV-1', '2026-01-01')
    expect(recordId('flow-1', 'INV-1', '2026-01-01')).toBe(a)
    expect(recordId('flow-1', 'INV-1', '2026-01-02')).not.toBe(a)
    expect(recordId('flow-2', 'INV-1', '2026-01-01')).not.toBe(a)
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('sortable ids order by ordinal whatever the hashed parts are', () => {
    const ids = [5, 1, 9, 3, 7].map((n) => ({ n, id: sortableId(n, 'flow', `key-${10 - n}`) }))
    const byId = [...ids].sort((x, y) => (x.id < y.id ? -1 : 1)).map((x) => x.n)
    expect(byId).toEqual([1, 3, 5, 7, 9])
  })

  it('idempotency keys are stable and purpose-specific', () => {
    expect(idempotencyKey('r', 'write')).toBe(idempotencyKey('r', 'write'))
    expect(idempotencyKey('r', 'write')).not.toBe(idempotencyKey('r', 'ack:success'))
    expect(idempotencyKey('r', 'write')).toHaveLength(32)
  })
})

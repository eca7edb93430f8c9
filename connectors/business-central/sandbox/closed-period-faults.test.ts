import { describe, expect, it } from 'vitest'
import { startTestEnv } from '../test-env.ts'

describe('sandbox control: a closed posting period is part of the fault set', () => {
  it('closedBefore closes the period; replacing the faults without it reopens it; a set allowPostingFrom stays', async () => {
    const { control } = await startTestEnv()
    const closed = (await control('faults', { closedBefore: '2100-01-01' })) as { allowPostingFrom?: string }
    expect(closed.allowPostingFrom).toBe('2100-01-01')
    const reopened = (await control('faults', {})) as { allowPostingFrom?: string }
    expect(reopened.allowPostingFrom).toBeUndefined()
    await control('faults', { allowPostingFrom: '2026-01-01' })
    const kept = (await control('faults', { latencyMs: 0 })) as { allowPostingFrom?: string }
    expect(kept.allowPostingFrom).toBe('2026-01-01')
  })
})

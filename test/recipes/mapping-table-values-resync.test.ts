import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BcBaswareTenant, startBcBaswareTenant } from './bc-basware-environment.ts'

const TABLE = 'basware-tax-code-to-bc-tax-group'

describe('mapping tables: the target’s values and Re-sync masters', () => {
  let env: BcBaswareTenant

  beforeAll(async () => {
    env = await startBcBaswareTenant('mapping-values-resync')
  })
  afterAll(async () => {
    await env?.stop()
  })

  it('lists the target system’s values read now, for the picker', async () => {
    const values = await env.api('GET', `/v1/mapping-tables/${TABLE}/values`)
    const codes = (values.items as { value: string }[]).map((v) => v.value)
    const rows = await env.api('GET', `/v1/mapping-tables/${TABLE}/rows`)
    expect(codes.length).toBeGreaterThan(1)
    for (const row of rows.items) expect(codes).toContain(row.confirmedValue)
  })

  it('proposes again from both systems and keeps what the tenant confirmed', async () => {
    const before = await env.api('GET', `/v1/mapping-tables/${TABLE}/rows`)
    const [first, second] = before.items as { key: string; confirmedValue: string }[]
    await env.api('PUT', `/v1/mapping-tables/${TABLE}/rows/${encodeURIComponent(first!.key)}`, {
      value: second!.confirmedValue,
    })
    // Re-sync reads both systems again (which propose the original value) without touching the override.
    const counts = await env.api('POST', `/v1/mapping-tables/${TABLE}/resync`)
    expect(counts.name).toBe(TABLE)
    const after = await env.api('GET', `/v1/mapping-tables/${TABLE}/rows`)
    const kept = (after.items as { key: string; state: string; confirmedValue: string }[]).find(
      (r) => r.key === first!.key,
    )
    expect(kept).toMatchObject({ state: 'confirmed', confirmedValue: second!.confirmedValue })
    expect(after.items.map((r: { key: string }) => r.key).sort()).toEqual(
      before.items.map((r: { key: string }) => r.key).sort(),
    )
  })

  it('answers 404 for a table the tenant does not have', async () => {
    await expect(env.api('POST', '/v1/mapping-tables/no-such-table/resync')).rejects.toThrow(/404/)
    await expect(env.api('GET', '/v1/mapping-tables/no-such-table/values')).rejects.toThrow(/404/)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BcBaswareTenant, startBcBaswareTenant } from './bc-basware-environment.ts'

const MASTER_FLOWS = [
  // Payment terms first: Basware refuses a vendor whose payment term it does not know yet.
  'bc-payment-terms-to-basware',
  'bc-vendors-to-basware',
  'bc-accounts-to-basware',
  'bc-dimension-values-to-basware',
]
const MASTER_ROUTES = [
  'POST /v1/vendors',
  'POST /v1/accounts',
  'POST /v1/paymentTerms',
  'POST /v1/lists/:listKey',
]

const digits = (s: unknown) => String(s ?? '').replace(/\D/g, '')

describe('bc-basware recipe: BC masters arrive in Basware', () => {
  let env: BcBaswareTenant
  beforeAll(async () => {
    env = await startBcBaswareTenant('bc-basware-masters')
  }, 60_000)
  afterAll(() => env?.stop())

  it('vendors, G/L accounts, dimension values and payment terms equal BC’s; a second run sends nothing', {
    timeout: 300_000,
  }, async () => {
    for (const flow of MASTER_FLOWS) await env.runAndSettle(flow)
    // Non-posting accounts are skipped by the flow's `when`; nothing of these three fails.
    for (const flow of MASTER_FLOWS.slice(0, 3))
      expect((await env.records(flow)).filter((r) => r.state === 'failed')).toEqual([])

    const stored = async (collection: string) =>
      new Map(
        ((await env.basware('GET', `master-data/${collection}`)).records as any[]).map((r) => [
          r.externalCode,
          r,
        ]),
      )

    const bcVendors = (await env.bc('GET', 'state/vendors')) as any[]
    const vendors = await stored('vendors')
    expect(vendors.size).toBe(bcVendors.length)
    for (const v of bcVendors) {
      const b = vendors.get(v.number)
      expect(b, `vendor ${v.number}`).toBeDefined()
      expect(b.name).toBe(v.displayName)
      expect(b.processingStatus.active).toBe(v.blocked !== 'All')
      if (v.taxRegistrationNumber) expect(digits(b.identifiers[0].id)).toBe(digits(v.taxRegistrationNumber))
    }
    expect(bcVendors.some((v) => v.blocked === 'All')).toBe(true)

    const bcAccounts = ((await env.bc('GET', 'state/accounts')) as any[]).filter(
      (a) => a.accountType === 'Posting',
    )
    const accounts = await stored('accounts')
    expect(accounts.size).toBe(bcAccounts.length)
    for (const a of bcAccounts) {
      const b = accounts.get(a.number)
      expect(b.accountNames[0].translation).toBe(a.displayName)
      expect(b.companies[0].active).toBe(!a.blocked && a.directPosting !== false)
    }

    const bcTerms = (await env.bc('GET', 'state/paymentTerms')) as any[]
    const terms = await stored('paymentTerms')
    expect(terms.size).toBe(bcTerms.length)
    for (const p of bcTerms) expect(terms.get(p.code).paymentTermNames[0].translation).toBe(p.displayName)

    const dimensions = new Map(
      ((await env.bc('GET', 'state/dimensions')) as any[]).map((d) => [d.id, d.code]),
    )
    const bcValues = (await env.bc('GET', 'state/dimensionValues')) as any[]
    for (const [dimension, listKey] of [
      ['DEPARTMENT', 'ACC_LIST_1'],
      ['PROJECT', 'ACC_LIST_2'],
    ] as const) {
      const expected = bcValues.filter((v) => dimensions.get(v.dimensionId) === dimension)
      const items = await stored(`lists/${listKey}`)
      expect(items.size, listKey).toBe(expected.length)
      for (const v of expected) expect(items.get(`${dimension}-${v.code}`).text_2).toBe(v.displayName)
    }
    // Values of a dimension Basware has no list for fail naming it; nothing else fails.
    const valueRecords = await env.records('bc-dimension-values-to-basware')
    for (const r of valueRecords.filter((r) => r.state !== 'delivered'))
      expect(JSON.stringify(r.error)).toContain('lookup_missing')

    const first = await env.basware('GET', 'stats')
    for (const route of MASTER_ROUTES) expect(first.byRoute[route] ?? 0, route).toBeGreaterThan(0)
    await env.basware('POST', 'stats/reset')
    for (const flow of MASTER_FLOWS) await env.runAndSettle(flow)
    const stats = await env.basware('GET', 'stats')
    for (const route of MASTER_ROUTES) expect(stats.byRoute[route] ?? 0, route).toBe(0)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMisaRecipeBench } from './misa-recipe-harness.ts'

type Bench = Awaited<ReturnType<typeof startMisaRecipeBench>>
type Voucher = {
  org_refid: string
  exchange_rate: number
  total_sale_amount: number
  total_vat_amount: number
  total_amount: number
  detail: { amount: number; vat_amount: number; debit_account: string; credit_account: string }[]
}

const today = new Date().toISOString().slice(0, 10)
// The recipe's static rate (BC API v2.0 carries no currency factor on purchase invoices).
const USD_RATE = 25400

const invoice = (vendorNumber: string, ref: string, lines: [string, number, string][], date = today) => ({
  vendorNumber,
  vendorInvoiceNumber: ref,
  invoiceDate: date,
  postingDate: date,
  post: true,
  purchaseInvoiceLines: lines.map(([account, unitCost, taxCode]) => ({
    lineType: 'Account',
    lineObjectNumber: account,
    description: `${ref} ${account}`,
    quantity: 1,
    unitCost,
    taxCode,
  })),
})

describe('bc-misa end to end: BC sandbox → Ferry (PostgreSQL, workers, API) → MISA sandbox', () => {
  let b: Bench
  let flows: Record<string, string>
  let bcInvoices: Map<string, any>

  beforeAll(async () => {
    b = await startMisaRecipeBench('bc-misa-e2e', ['bc', 'misa'])
    const connections = await b.connect()
    flows = await b.enableRecipe('bc-misa', connections)
  }, 120_000)
  afterAll(() => b?.stop())

  it('enabling the recipe proposes both tables from master data, and the tenant confirms them', async () => {
    const vendors = (await b.api('GET', '/v1/mapping-tables/bc-vendor-to-misa-vendor/rows')).json.items
    expect(vendors.find((r: any) => r.key === 'V0060')).toMatchObject({
      state: 'proposed',
      match: 'mst',
      proposedValue: 'V0060',
      confirmedValue: null,
    })
    const accounts = (await b.api('GET', '/v1/mapping-tables/bc-account-to-vas/rows')).json.items
    const byKey = Object.fromEntries(accounts.map((r: any) => [r.key, r]))
    expect(byKey['6271']).toMatchObject({ proposedValue: '627', match: 'name' })
    expect(byKey['6427']).toMatchObject({ proposedValue: '6427', match: 'number' })

    const bad = await b.api('PUT', '/v1/mapping-tables/bc-account-to-vas/rows/6271', { value: '' }, [422])
    expect(bad.json.errors).toContainEqual(expect.objectContaining({ pointer: '/value' }))
    expect((await b.api('POST', '/v1/mapping-tables/bc-vendor-to-misa-vendor/confirm')).json.confirmed).toBe(
      vendors.filter((r: any) => r.proposedValue !== null).length,
    )
    // The tenant confirms each account but leaves 2421 (prepaid expenses) for later.
    for (const row of accounts.filter((r: any) => r.key !== '2421' && r.proposedValue !== null))
      await b.api('PUT', `/v1/mapping-tables/bc-account-to-vas/rows/${row.key}`, { value: row.proposedValue })
    const tables = (await b.api('GET', '/v1/mapping-tables')).json.items
    const proposed = accounts.filter((r: any) => r.proposedValue !== null).length
    expect(tables.find((t: any) => t.name === 'bc-account-to-vas')).toMatchObject({
      recipe: 'bc-misa',
      counts: { proposed: 1, confirmed: proposed - 1, open: accounts.length - proposed },
    })
  })

  it('posted invoices become vouchers balanced to the đồng; a lost callback is recovered by polling; a locked period fails with MISA’s message', async () => {
    const seeded = await b.control('bc', 'seed', {
      purchaseInvoices: [
        invoice('V0010', 'E2E-VND', [
          ['6271', 1_234_567, 'VAT10'],
          ['1521', 7_654_321, 'VAT8'],
        ]),
        invoice('V0060', 'E2E-USD', [
          ['6427', 33.34, 'VAT10'],
          ['6422', 66.69, 'VAT10'],
        ]),
        invoice('V0020', 'E2E-LOCKED', [['6422', 500_000, 'VAT10']], '2026-01-15'),
        invoice('V0020', 'E2E-MISSING', [['2421', 900_000, 'VAT10']]),
      ],
    })
    await b.control('misa', 'period-lock', { lockedThrough: '2026-01-31' })
    // MISA's first callback never reaches Ferry: it is retried, then parked for get_call_back_detail_error.
    await b.control('misa', 'callbacks', { mode: 'drop', count: 1 })
    const posted = await b.control('bc', 'state/purchaseInvoices')
    bcInvoices = new Map(
      (posted.value ?? posted).filter((i: any) => i.status !== 'Draft').map((i: any) => [i.id, i]),
    )
    expect(seeded.purchaseInvoices).toHaveLength(4)

    await b.api('POST', `/v1/flows/${flows['bc-invoices-to-misa']}/enable`)
    await b.api('POST', `/v1/flows/${flows['bc-invoices-to-misa']}/run`)
    const total = bcInvoices.size
    // Callbacks settle most records; the dropped one's records wait until the outcome poll finds them.
    await b.settled(flows['bc-invoices-to-misa']!, 1)
    let polled = 0
    const records = await waitForAll(b, flows['bc-invoices-to-misa']!, total, async () => {
      polled += (await b.pollLostOutcomes()).completed
    })
    expect(polled).toBeGreaterThan(0)

    const byRef = (ref: string) => {
      const inv = [...bcInvoices.values()].find((i) => i.vendorInvoiceNumber === ref)
      return records.find((r: any) => r.sourceKey === inv.id)
    }
    const locked = byRef('E2E-LOCKED')
    expect(locked.state).toBe('failed')
    expect(JSON.stringify(locked.error)).toContain('Kỳ kế toán đã khóa sổ đến ngày 31/01/2026')
    const missing = byRef('E2E-MISSING')
    expect(missing.state).toBe('failed')
    expect(missing.error.code).toBe('lookup_missing')
    expect(missing.error.message).toContain('"2421"')
    expect(records.filter((r: any) => r.state === 'delivered')).toHaveLength(total - 2)

    const vias = new Set<string>()
    for (const r of records) {
      const { ledger } = (await b.api('GET', `/v1/records/${r.id}`)).json
      for (const e of ledger) if (e.type === 'outcome') vias.add(e.data.via)
    }
    // Vouchers go to MISA many per save (batch delivery): the dropped callback's vouchers were
    // recovered by the poll; any other save's came by callback. Callbacks alone: basware-misa-e2e.
    expect(vias.has('poll')).toBe(true)
    expect([...vias].every((via) => via === 'poll' || via === 'callback')).toBe(true)

    // Every accepted voucher balances: lines add up to the header, VAT per line, debit = credit.
    const proposals: { orgRefid: string; status: string; payload: Voucher }[] = await b.control(
      'misa',
      'proposals',
    )
    const accepted = proposals.filter((p) => p.status === 'accepted')
    expect(accepted).toHaveLength(total - 2)
    for (const { payload: v } of accepted) {
      const bc = bcInvoices.get(v.org_refid)
      const lines = v.detail
      expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(v.total_sale_amount)
      expect(lines.reduce((s, l) => s + l.vat_amount, 0)).toBe(v.total_vat_amount)
      expect(v.total_amount).toBe(v.total_sale_amount + v.total_vat_amount)
      for (const l of lines) {
        expect(Number.isInteger(l.amount) && Number.isInteger(l.vat_amount)).toBe(true)
        expect(l.credit_account).toBe('331')
      }
      const rate = bc.currencyCode && bc.currencyCode !== 'VND' ? USD_RATE : 1
      expect(v.exchange_rate).toBe(rate)
      // The recipe converts BC's net total once, rounded to the đồng, and splits it over the lines.
      expect(v.total_sale_amount).toBe(Math.round(bc.totalAmountExcludingTax * rate))
    }
    expect(accepted.some((p) => p.payload.exchange_rate === USD_RATE)).toBe(true)
    await b.control('misa', 'generate', {})
    const ledger: { orgRefid: string; debit: number; credit: number }[] = await b.control('misa', 'ledger')
    for (const { orgRefid } of accepted) {
      const lines = ledger.filter((l) => l.orgRefid === orgRefid)
      expect(lines.length).toBeGreaterThan(0)
      expect(lines.reduce((s, l) => s + l.debit, 0)).toBe(lines.reduce((s, l) => s + l.credit, 0))
    }
  }, 240_000)

  it('the missing account row, added through the API, lets the failed invoice through on replay', async () => {
    const { json } = await b.api('GET', `/v1/records?flow=${flows['bc-invoices-to-misa']}&state=failed`)
    const missing = json.items.find((r: any) => r.error?.code === 'lookup_missing')
    const row = await b.api('PUT', '/v1/mapping-tables/bc-account-to-vas/rows/2421', { value: '242' })
    expect(row.json).toMatchObject({ key: '2421', state: 'confirmed', confirmedValue: '242' })
    await b.api('POST', '/v1/records/replay', { ids: [missing.id], version: 'latest' })
    await waitForAll(b, flows['bc-invoices-to-misa']!, 0, async () => {
      const r = (await b.api('GET', `/v1/records/${missing.id}`)).json.record
      if (r.state !== 'delivered') throw new Error(`not yet: ${r.state}`)
    })
    const proposals: { orgRefid: string; payload: Voucher }[] = await b.control('misa', 'proposals')
    const voucher = proposals.find((p) => p.orgRefid === missing.sourceKey)
    expect(voucher?.payload.detail[0]?.debit_account).toBe('242')
  }, 120_000)
})

/** Waits until every record of the flow (at least `count`) has settled, running `between` on each try. */
async function waitForAll(b: Bench, flowId: string, count: number, between: () => Promise<void>) {
  const deadline = Date.now() + 180_000
  for (;;) {
    let ok = true
    try {
      await between()
    } catch {
      ok = false
    }
    const { json } = await b.api('GET', `/v1/records?flow=${flowId}&limit=500`)
    const settled = json.items.filter((r: any) => ['delivered', 'failed', 'skipped'].includes(r.state))
    if (ok && json.items.length >= count && settled.length === json.items.length) return json.items
    if (Date.now() > deadline)
      throw new Error(`timed out: ${JSON.stringify(json.items.map((r: any) => r.state))}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

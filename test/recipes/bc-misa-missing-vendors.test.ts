import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mstCheckDigit } from '../../core/vietnam/mst.ts'
import { waitFor } from '../support/wait-for.ts'
import { startMisaRecipeBench } from './misa-recipe-harness.ts'

type Bench = Awaited<ReturnType<typeof startMisaRecipeBench>>

const today = new Date().toISOString().slice(0, 10)
const VENDORS = 'bc-vendor-to-misa-vendor'

/** A valid organisation MST starting with `nine` (or the next nine digits that have a check digit). */
function validMst(nine: number): string {
  for (let n = nine; ; n++) {
    const digit = mstCheckDigit(String(n).padStart(9, '0'))
    if (digit !== null) return `${String(n).padStart(9, '0')}${digit}`
  }
}

const vendor = (number: string, displayName: string, taxRegistrationNumber: string) => ({
  number,
  displayName,
  taxRegistrationNumber,
  city: 'Hồ Chí Minh',
})

const invoice = (vendorNumber: string, ref: string) => ({
  vendorNumber,
  vendorInvoiceNumber: ref,
  invoiceDate: today,
  postingDate: today,
  post: true,
  purchaseInvoiceLines: [
    {
      lineType: 'Account',
      lineObjectNumber: '6271',
      description: ref,
      quantity: 1,
      unitCost: 1_000_000,
      taxCode: 'VAT10',
    },
  ],
})

describe('bc-misa "create missing vendors": an invoice whose vendor has no row creates it in MISA', () => {
  let b: Bench
  let connections: Record<string, string>
  let flows: Record<string, string>

  /** Seeds vendors and posted invoices in BC, runs the invoice flow, and returns the invoices' records once settled. */
  async function runInvoices(vendors: ReturnType<typeof vendor>[], invoices: ReturnType<typeof invoice>[]) {
    const seeded = await b.control('bc', 'seed', { vendors, purchaseInvoices: invoices })
    const ids = new Set<string>(seeded.purchaseInvoices)
    await b.api('POST', `/v1/flows/${flows['bc-invoices-to-misa']}/run`)
    return waitFor(
      `${ids.size} settled invoices`,
      async () => {
        const { json } = await b.api('GET', `/v1/records?flow=${flows['bc-invoices-to-misa']}&limit=500`)
        const mine = (json.items as any[]).filter((r) => ids.has(r.sourceKey))
        const settled = mine.filter((r) => ['delivered', 'failed', 'skipped'].includes(r.state))
        return mine.length === ids.size && settled.length === ids.size ? mine : undefined
      },
      180_000,
    )
  }

  const misaVendorsWithMst = async (mst: string) =>
    (await b.readAll(connections.misa!, 'accountObjects')).filter((o) => o.company_tax_code === mst)
  const vendorRow = async (key: string) =>
    ((await b.api('GET', `/v1/mapping-tables/${VENDORS}/rows`)).json.items as any[]).find(
      (r) => r.key === key,
    )
  const vendorTable = async () =>
    ((await b.api('GET', '/v1/mapping-tables')).json.items as any[]).find((t) => t.name === VENDORS)
  const vendorRecords = async () =>
    (await b.api('GET', `/v1/records?flow=${flows['bc-vendors-to-misa']}&limit=500`)).json.items as any[]

  beforeAll(async () => {
    b = await startMisaRecipeBench('bc-misa-missing-vendors', ['bc', 'misa'])
    connections = await b.connect()
    flows = await b.enableRecipe('bc-misa', connections)
    await b.api('POST', `/v1/mapping-tables/${VENDORS}/confirm`)
    await b.api('POST', '/v1/mapping-tables/bc-account-to-vas/confirm')
    await b.api('POST', `/v1/flows/${flows['bc-invoices-to-misa']}/enable`)
  }, 120_000)
  afterAll(() => b?.stop())

  it('off (the default): the voucher goes with the BC number, MISA refuses it, nothing is created', async () => {
    const mst = validMst(310_000_001)
    const [record] = await runInvoices(
      [vendor('V0901', 'Công ty TNHH Mới Một', mst)],
      [invoice('V0901', 'MV-OFF-1')],
    )
    expect(record.state).toBe('failed')
    expect(JSON.stringify(record.error)).toContain('Đối tượng V0901 không tồn tại')
    expect(await misaVendorsWithMst(mst)).toEqual([])
    expect(await vendorRow('V0901')).toBeUndefined()
    expect(await vendorRecords()).toEqual([])
    expect(await vendorTable()).toMatchObject({
      createsMissing: { through: 'bc-vendors-to-misa', enabled: false },
    })
  }, 240_000)

  it('on: three invoices of one new vendor create it once, confirm its row and are all delivered', async () => {
    const enabled = await b.enableRecipe('bc-misa', connections, { createMissingVendors: true })
    expect(enabled['bc-invoices-to-misa']).toBe(flows['bc-invoices-to-misa'])
    expect(await vendorTable()).toMatchObject({
      createsMissing: { through: 'bc-vendors-to-misa', enabled: true },
    })
    const mst = validMst(310_000_101)
    const records = await runInvoices(
      [vendor('V0902', 'Công ty TNHH Mới Hai', mst)],
      [invoice('V0902', 'MV-ON-1'), invoice('V0902', 'MV-ON-2'), invoice('V0902', 'MV-ON-3')],
    )
    expect(records.map((r) => r.state)).toEqual(['delivered', 'delivered', 'delivered'])

    const created = await misaVendorsWithMst(mst)
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({ account_object_code: 'V0902', is_vendor: true })
    expect(await vendorRow('V0902')).toMatchObject({
      state: 'confirmed',
      confirmedValue: 'V0902',
      reason: 'created by Ferry (bc-vendors-to-misa)',
    })
    const masters = await vendorRecords()
    expect(masters).toHaveLength(1)
    expect(masters[0].state).toBe('delivered')
    const proposals: { orgRefid: string; status: string; payload: { account_object_code: string } }[] =
      await b.control('misa', 'proposals')
    const mine = proposals.filter((p) => records.some((r) => r.sourceKey === p.orgRefid))
    expect(mine.map((p) => [p.status, p.payload.account_object_code])).toEqual([
      ['accepted', 'V0902'],
      ['accepted', 'V0902'],
      ['accepted', 'V0902'],
    ])
  }, 240_000)

  it('on: a vendor whose MST is invalid fails its invoice naming the vendor and the MST, and nothing is created', async () => {
    const bad = `${validMst(310_000_201).slice(0, 9)}${(Number(validMst(310_000_201)[9]) + 1) % 10}`
    const before = (await vendorRecords()).length
    const [record] = await runInvoices(
      [vendor('V0903', 'Công ty Sai Mã', bad)],
      [invoice('V0903', 'MV-BAD-1')],
    )
    expect(record.state).toBe('failed')
    expect(record.error.code).toBe('create_missing_failed')
    expect(record.error.message).toContain(`"V0903" has no confirmed row in ${VENDORS}`)
    expect(record.error.message).toContain(
      `Vendor V0903 (Công ty Sai Mã): tax registration number "${bad}" is not a valid MST`,
    )
    expect(await misaVendorsWithMst(bad)).toEqual([])
    expect((await vendorRecords()).length).toBe(before)
    expect((await vendorRow('V0903'))?.state).not.toBe('confirmed')
  }, 240_000)
})

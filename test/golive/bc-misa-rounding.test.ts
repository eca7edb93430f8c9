import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMisaRecipeBench } from '../recipes/misa-recipe-harness.ts'
import { waitFor } from '../support/wait-for.ts'

type Bench = Awaited<ReturnType<typeof startMisaRecipeBench>>

const DAY = '2026-11-16'
const invoice = (vendorNumber: string, ref: string, lines: [string, number, string][]) => ({
  vendorNumber,
  vendorInvoiceNumber: ref,
  invoiceDate: DAY,
  postingDate: DAY,
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

/**
 * bc-misa's go-live with VND rounding. BC computes a document's VAT on the total of each VAT identifier
 * (3 × 1,234,567 đ at 10 % → 370,370 đ); MISA takes VAT line by line, each line rounded to the đồng
 * (3 × 123,457 = 370,371 đ). The reconciliation of the sample period classifies that đồng as MISA's
 * own rounding — a match — and still calls a real difference a mistake.
 */
describe('bc-misa go-live: a đồng of MISA rounding is not a mistake', () => {
  let b: Bench
  let flowId: string

  beforeAll(async () => {
    b = await startMisaRecipeBench('golive-misa-rounding', ['bc', 'misa'])
    const connections = await b.connect()
    const flows = await b.enableRecipe('bc-misa', connections)
    flowId = flows['bc-invoices-to-misa']!
    for (const table of ['bc-vendor-to-misa-vendor', 'bc-account-to-vas'])
      await b.api('POST', `/v1/mapping-tables/${table}/confirm`)
    await b.control('bc', 'settings', { vatPerIdentifier: true })
    await b.control('bc', 'seed', {
      purchaseInvoices: [
        invoice('V0010', 'ROUND-1', [
          ['6271', 1_234_567, 'VAT10'],
          ['6271', 1_234_567, 'VAT10'],
          ['6271', 1_234_567, 'VAT10'],
        ]),
        invoice('V0020', 'EVEN-1', [['6422', 2_000_000, 'VAT10']]),
      ],
    })
  }, 180_000)
  afterAll(() => b?.stop())

  it("BC's document VAT and MISA's per-line VAT differ by one đồng, and the reconciliation calls it rounding", {
    timeout: 300_000,
  }, async () => {
    const posted = ((await b.control('bc', 'state/purchaseInvoices')) as any[]).filter(
      (i) => i.vendorInvoiceNumber === 'ROUND-1',
    )
    expect(posted[0].totalTaxAmount).toBe(370_370)

    await b.api('POST', `/v1/flows/${flowId}/enable`)
    await b.api('POST', `/v1/flows/${flowId}/run`)
    const ours = async () => {
      await b.pollLostOutcomes()
      return ((await b.api('GET', `/v1/records?flow=${flowId}&limit=500`)).json.items as any[]).filter((r) =>
        ids.includes(r.sourceKey),
      )
    }
    const ids = ((await b.control('bc', 'state/purchaseInvoices')) as any[])
      .filter((i) => ['ROUND-1', 'EVEN-1'].includes(i.vendorInvoiceNumber))
      .map((i) => i.id as string)
    await waitFor(
      'both invoices to reach MISA',
      async () => {
        const records = await ours()
        return records.length === 2 && records.every((r) => r.state === 'delivered' || r.state === 'failed')
      },
      240_000,
    )
    const records = await ours()
    expect(records.map((r) => [r.state, r.error?.message])).toEqual([
      ['delivered', undefined],
      ['delivered', undefined],
    ])
    const rounded = records.find((r) => r.sourceKey === posted[0].id)
    const detail = (await b.api('GET', `/v1/records/${rounded.id}`)).json
    // Ferry's voucher carries MISA's per-line VAT.
    expect(detail.record.mapped.total_vat_amount).toBe(370_371)

    const started = await b.api('POST', '/v1/reconciliations', { flow: flowId, from: DAY, to: '2026-11-17' })
    let row: any
    await waitFor(
      'the reconciliation to finish',
      async () => {
        row = (await b.api('GET', `/v1/reconciliations/${started.json.id}`)).json
        return row.state === 'done' || row.state === 'failed'
      },
      240_000,
    )
    expect(row.state).toBe('done')
    expect(row.counts.differs).toBe(0)
    const items = (await b.api('GET', `/v1/reconciliations/${row.id}/items?limit=100`)).json.items as any[]
    const item = items.find((i) => i.sourceKey === posted[0].id)
    expect(item.class).toBe('matched')
    expect(item.differences).toContainEqual(
      expect.objectContaining({ field: 'tax', expected: 370_370, actual: 370_371, kind: 'rounding' }),
    )
  })
})

import { describe, expect, it } from 'vitest'
import { compareDocuments } from '../../core/reconcile/compare-documents.ts'
import { businessCentral } from './index.ts'
import { apiCalls, startTestEnv } from './test-env.ts'

const { purchaseInvoices, purchaseCreditMemos } = businessCentral.streams
const reconcile = purchaseInvoices!.reconcile!

// What the bc-basware invoice flow maps a Basware invoice to (a deep insert).
const mapped = (vendorInvoiceNumber: string, postingDate: string) => ({
  vendorNumber: 'V0010',
  vendorInvoiceNumber,
  invoiceDate: postingDate,
  postingDate,
  dueDate: '2031-12-31',
  currencyCode: 'VND',
  pricesIncludeTax: false,
  purchaseInvoiceLines: [
    {
      sequence: 10000,
      lineType: 'Account',
      lineObjectNumber: '6271',
      description: 'Chi phí sản xuất chung',
      quantity: 1,
      unitCost: 10_000_000,
      taxCode: 'VAT10',
      dimensionSetLines: [
        { code: 'DEPARTMENT', valueCode: 'PROD' },
        { code: 'PROJECT', valueCode: 'P-HCM01' },
      ],
    },
  ],
})

async function listAll(ctx: Parameters<NonNullable<typeof reconcile.list>>[0], from: string, to: string) {
  const out: Record<string, unknown>[] = []
  for await (const page of reconcile.list!(ctx, { from, to })) out.push(...page)
  return out
}

describe('Business Central purchase documents for reconciliation', () => {
  it('lists the documents of a posting-date period with lines and dimensions, by GETs only', async () => {
    const { ctx, control, fetch } = await startTestEnv()
    await control('seed', {
      purchaseInvoices: [
        { ...mapped('R-NOV-1', '2031-11-03'), post: true },
        { ...mapped('R-NOV-2', '2031-11-30'), post: true },
        { ...mapped('R-DRAFT', '2031-11-15') },
        { ...mapped('R-DEC-1', '2031-12-01'), post: true },
        { ...mapped('R-OCT-1', '2031-10-31'), post: true },
      ],
    })
    const before = fetch.calls.length
    const listed = await listAll(ctx, '2031-11-01', '2031-12-01')
    expect(listed.map((r) => r.vendorInvoiceNumber).sort()).toEqual(['R-DRAFT', 'R-NOV-1', 'R-NOV-2'])
    expect(apiCalls(fetch.calls.slice(before)).map((r) => r.method)).toEqual(['GET'])

    const posted = reconcile.document(listed.find((r) => r.vendorInvoiceNumber === 'R-NOV-1')!)
    expect(posted).toMatchObject({
      party: 'V0010',
      reference: 'R-NOV-1',
      postingDate: '2031-11-03',
      currency: 'VND',
      net: 10_000_000,
      tax: 1_000_000,
      gross: 11_000_000,
      status: 'posted',
      lines: [
        {
          account: '6271',
          amount: 10_000_000,
          taxCode: 'VAT10',
          dimensions: { DEPARTMENT: 'PROD', PROJECT: 'P-HCM01' },
        },
      ],
    })
    expect(posted.id).toBeTruthy()
    expect(posted.number).toMatch(/^PPI-/)
    const draft = reconcile.document(listed.find((r) => r.vendorInvoiceNumber === 'R-DRAFT')!)
    expect(draft.status).toBe('draft')
  })

  it('reads what Ferry maps and what BC holds the same way: a faithful posting shows no difference', async () => {
    const { ctx, control } = await startTestEnv()
    await control('seed', { purchaseInvoices: [{ ...mapped('R-SAME', '2031-11-05'), post: true }] })
    const [held] = await listAll(ctx, '2031-11-05', '2031-11-06')
    const expected = { ...reconcile.document(mapped('R-SAME', '2031-11-05')), status: 'posted' as const }
    const actual = reconcile.document(held!)
    expect(compareDocuments(expected, actual, reconcile.rounding!)).toEqual([])
    expect(expected.net).toBe(10_000_000)
  })

  it('an invoice cancelled in BC reads reversed, with its posted corrective credit memo beside it', async () => {
    const { ctx, control } = await startTestEnv()
    const {
      purchaseInvoices: [id],
    } = await control('seed', { purchaseInvoices: [{ ...mapped('R-CANCEL', '2031-11-07'), post: true }] })
    const cancelled = await control(`purchaseInvoices/${id}/cancel`, {})
    expect(cancelled.creditMemoNumber).toMatch(/^PPCM-/)
    const [invoice] = await listAll(ctx, '2031-11-07', '2031-11-08')
    expect(reconcile.document(invoice!).status).toBe('reversed')
    const memos: Record<string, unknown>[] = []
    for await (const page of purchaseCreditMemos!.reconcile!.list!(ctx, {
      from: '2031-11-07',
      to: '2031-11-08',
    }))
      memos.push(...page)
    expect(memos.map((m) => purchaseCreditMemos!.reconcile!.document(m))).toMatchObject([
      {
        party: 'V0010',
        reference: 'R-CANCEL',
        net: 10_000_000,
        status: 'posted',
        lines: [{ account: '6271', dimensions: { DEPARTMENT: 'PROD', PROJECT: 'P-HCM01' } }],
      },
    ])
    expect((await control(`purchaseInvoices/${id}/cancel`, {})).error.message).toMatch(
      /already been cancelled/,
    )
  })

  it('credit memos are documents too, dated by creditMemoDate', () => {
    const doc = purchaseCreditMemos!.reconcile!.document({
      vendorNumber: 'V0020',
      vendorCreditMemoNumber: 'CN-1',
      creditMemoDate: '2031-11-02',
      status: 'Canceled',
      purchaseCreditMemoLines: [
        { lineType: 'Comment', description: 'x' },
        { lineType: 'Account', lineObjectNumber: '6411', amountExcludingTax: 100 },
      ],
    })
    expect(doc).toMatchObject({
      reference: 'CN-1',
      documentDate: '2031-11-02',
      status: 'reversed',
      net: 100,
      lines: [{ account: '6411', amount: 100 }],
    })
  })
})

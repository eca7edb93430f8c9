import { describe, expect, it } from 'vitest'
import { misa } from '../index.ts'

const { serviceVouchers } = misa.streams

describe('MISA vouchers for reconciliation', () => {
  it('a VND voucher: totals and lines in đồng, VAT code from vat_rate, no read of a period', () => {
    const reconcile = serviceVouchers!.reconcile!
    expect(reconcile.list).toBeUndefined()
    expect(
      reconcile.document({
        org_refid: 'bc-1',
        org_refno: 'PPI-108001',
        account_object_code: 'V0010',
        refdate: '2026-04-10 00:00:00',
        posted_date: '2026-04-15 00:00:00',
        currency_id: 'VND',
        exchange_rate: 1,
        total_sale_amount: 30_000_000,
        total_discount_amount: 0,
        total_vat_amount: 2_600_000,
        total_amount: 32_600_000,
        detail: [
          {
            debit_account: '627',
            amount: 10_000_000,
            amount_oc: 10_000_000,
            vat_rate: 10,
            vat_amount: 1_000_000,
          },
          { debit_account: '152', amount: 20_000_000, amount_oc: 20_000_000, vat_rate: -1, vat_amount: 0 },
        ],
      }),
    ).toEqual({
      keys: { org_refid: 'bc-1' },
      party: 'V0010',
      documentDate: '2026-04-10',
      postingDate: '2026-04-15',
      currency: 'VND',
      exchangeRate: 1,
      net: 30_000_000,
      tax: 2_600_000,
      gross: 32_600_000,
      lines: [
        { account: '627', amount: 10_000_000, tax: 1_000_000, taxCode: '10%' },
        { account: '152', amount: 20_000_000, tax: 0, taxCode: 'KCT' },
      ],
    })
  })

  it('a USD voucher compares in dollars: net from amount_oc, no VAT in the document currency', () => {
    const doc = serviceVouchers!.reconcile!.document({
      currency_id: 'USD',
      exchange_rate: 25_400.5,
      total_sale_amount: 2_540_812,
      total_vat_amount: 254_081,
      detail: [
        { debit_account: '6427', amount: 846_853, amount_oc: 33.34, vat_amount: 84_685 },
        { debit_account: '6422', amount: 847_106, amount_oc: 33.35, vat_amount: 84_711 },
      ],
    })
    expect(doc.net).toBeCloseTo(66.69, 2)
    expect(doc.tax).toBeUndefined()
    expect(doc.lines!.map((l) => l.amount)).toEqual([33.34, 33.35])
  })
})

/** Records the MISA tests write: valid against the demo seed unless a test changes them. */

/** A purchase of 10 sheets of steel at 8 % VAT from demo vendor V0010, with its VAT invoice. */
export function purchaseVoucherFixture(
  branchId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    org_refno: 'PN-000123',
    branch_id: branchId,
    account_object_code: 'V0010',
    account_object_tax_code: '0100047516',
    refdate: '2026-03-05 09:00:00',
    posted_date: '2026-03-05 09:00:00',
    include_invoice: 1,
    journal_memo: 'Mua thép tấm PN-000123',
    total_sale_amount: 1_000_000,
    total_discount_amount: 0,
    total_vat_amount: 80_000,
    total_amount: 1_080_000,
    pu_invoice: {
      voucher_type: 15,
      reftype: 3400,
      inv_template_no: '1',
      inv_series: 'C26TAA',
      inv_no: '00000123',
      inv_date: '2026-03-05',
    },
    detail: [
      {
        sort_order: 1,
        inventory_item_code: 'THEP-TAM',
        stock_code: 'KHO1',
        debit_account: '1561',
        credit_account: '331',
        vat_account: '1331',
        unit_name: 'Tấm',
        quantity: 10,
        unit_price: 100_000,
        amount_oc: 1_000_000,
        amount: 1_000_000,
        vat_rate: 8,
        vat_amount: 80_000,
      },
    ],
    ...overrides,
  }
}

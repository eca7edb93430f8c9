/** The voucher kinds Ferry writes to MISA. */
import { voucherStream } from './voucher-stream.ts'

/** Goods purchase into stock, unpaid (pu_voucher 18/302), with the nested purchase invoice when include_invoice = 1. */
export const purchaseVouchers = voucherStream({
  description:
    'Goods purchases into stock (voucher_type 18, reftype 302) with the nested purchase invoice (pu_invoice 15/3400).',
  voucherType: 18,
  reftype: 302,
  schema: {
    properties: {
      include_invoice: { enum: [0, 1, 2] },
      pu_invoice: {
        type: 'object',
        properties: {
          voucher_type: { const: 15 },
          reftype: { const: 3400 },
          inv_template_no: { type: 'string' },
          inv_series: { type: 'string' },
          inv_no: { type: 'string' },
          inv_date: { type: 'string' },
        },
      },
    },
    line: {
      inventory_item_code: { type: 'string' },
      stock_code: { type: 'string' },
      quantity: { type: 'number' },
      unit_price: { type: 'number' },
    },
  },
})

/** Purchase of services (pu_service 17/330; the numbers come from a single public source). */
export const serviceVouchers = voucherStream({
  description:
    'Purchases of services (voucher_type 17, reftype 330) posted to expense accounts such as 642x.',
  voucherType: 17,
  reftype: 330,
  schema: { line: { inventory_item_code: { type: 'string' }, expense_item_code: { type: 'string' } } },
})

/** Cash payment to a supplier (ca_payment; voucher_type 6 and reftype 1020 are our best reading, see README). */
export const paymentVouchers = voucherStream({
  description:
    'Supplier payments (cash payment, ca_payment: voucher_type 6, reftype 1020 by default; override per record).',
  voucherType: 6,
  reftype: 1020,
})

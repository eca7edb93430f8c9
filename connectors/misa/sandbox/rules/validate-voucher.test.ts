import { describe, expect, it } from 'vitest'
import { seedDemo } from '../control/demo-seed.ts'
import { defaultSettings } from '../state/sandbox-settings.ts'
import { createState } from '../state/sandbox-state.ts'
import { validateVoucher } from './validate-voucher.ts'

const state = createState(() => new Date())
const tenant = seedDemo(state, { empty: false })
const settings = defaultSettings()

const line = {
  inventory_item_code: 'THEP-TAM',
  stock_code: 'KHO1',
  debit_account: '1561',
  credit_account: '331',
  vat_account: '1331',
  unit_name: 'Tấm',
  quantity: 10,
  unit_price: 100_000,
  amount: 1_000_000,
  vat_rate: 8,
  vat_amount: 80_000,
}
const good = {
  voucher_type: 18,
  org_refid: 'x',
  branch_id: tenant.branchId,
  account_object_code: 'V0010',
  refdate: '2026-03-05 09:00:00',
  posted_date: '2026-03-05T09:00:00.000+07:00',
  total_sale_amount: 1_000_000,
  total_vat_amount: 80_000,
  total_amount: 1_080_000,
  include_invoice: 1,
  pu_invoice: { inv_template_no: '1', inv_series: 'C26TAA', inv_no: '123' },
  detail: [line],
}
const withLine = (patch: Record<string, unknown>, header: Record<string, unknown> = {}) => ({
  ...good,
  ...header,
  detail: [{ ...line, ...patch }],
})

describe('validateVoucher', () => {
  it('accepts the reference purchase', () => expect(validateVoucher(tenant, settings, good)).toBeNull())

  it('converts a foreign-currency line at the header rate when the line states none', () => {
    const usd = (amount: number) =>
      withLine(
        { quantity: undefined, unit_price: undefined, amount_oc: 39.37, amount, vat_amount: 80_000 },
        {
          currency_id: 'USD',
          exchange_rate: 25_400,
          total_sale_amount: amount,
          total_amount: amount + 80_000,
        },
      )
    expect(validateVoucher(tenant, settings, usd(999_998))).toBeNull()
    expect(validateVoucher(tenant, settings, usd(1_000_500))?.message).toContain('quy đổi')
  })

  it.each([
    [
      'KCT line without VAT',
      withLine(
        { vat_rate: -1, vat_amount: 0, vat_account: undefined },
        { total_vat_amount: 0, total_amount: 1_000_000 },
      ),
    ],
    [
      'other rate 3.5 %',
      withLine(
        { vat_rate: -3, other_vat_rate: 3.5, vat_amount: 35_000 },
        { total_vat_amount: 35_000, total_amount: 1_035_000 },
      ),
    ],
    [
      'VAT off by 1 đồng (tolerance)',
      withLine({ vat_amount: 80_001 }, { total_vat_amount: 80_001, total_amount: 1_080_001 }),
    ],
    ['zero GUID branch from MISA’s sample', { ...good, branch_id: '00000000-0000-0000-0000-000000000000' }],
  ])('accepts %s', (_name, voucher) => expect(validateVoucher(tenant, settings, voucher)).toBeNull())

  it.each([
    ['unknown voucher_type', { ...good, voucher_type: 99 }, 'InvalidParam', /Loại chứng từ/],
    ['missing org_refid', { ...good, org_refid: '' }, 'InvalidParam', /org_refid/],
    ['unknown branch', { ...good, branch_id: 'nope' }, 'InvalidData', /Chi nhánh/],
    ['bad posted_date', { ...good, posted_date: '05/03/2026' }, 'InvalidParam', /ngày hạch toán/],
    ['unknown vendor', { ...good, account_object_code: 'NOBODY' }, 'InvalidData', /không tồn tại/],
    ['customer, not vendor', { ...good, account_object_code: 'KH0001' }, 'InvalidData', /nhà cung cấp/],
    ['blocked vendor', { ...good, account_object_code: 'V0080' }, 'InvalidData', /ngừng theo dõi/],
    ['no lines', { ...good, detail: [] }, 'InvalidParam', /ít nhất một dòng/],
    ['501 lines', { ...good, detail: Array.from({ length: 501 }, () => line) }, 'InvalidParam', /500/],
    ['unknown item', withLine({ inventory_item_code: 'NOPE' }), 'InvalidData', /mã hàng NOPE/],
    ['goods without stock', withLine({ stock_code: undefined }), 'InvalidData', /thiếu kho/],
    ['unknown unit', withLine({ unit_name: 'Thùng phuy' }), 'InvalidData', /đơn vị tính/],
    ['parent account', withLine({ debit_account: '156' }), 'InvalidData', /tài khoản tổng hợp/],
    ['unknown account', withLine({ credit_account: '3319' }), 'InvalidData', /3319 không tồn tại/],
    ['fractional amount', withLine({ amount: 1_000_000.5 }), 'InvalidData', /số nguyên/],
    ['quantity × price mismatch', withLine({ quantity: 9 }), 'InvalidData', /số lượng × đơn giá/],
    ['VAT rate not in the enum', withLine({ vat_rate: 7 }), 'InvalidParam', /thuế suất/],
    ['other rate without other_vat_rate', withLine({ vat_rate: -3 }), 'InvalidParam', /thuế suất/],
    [
      'VAT amount off by 2 đồng',
      withLine({ vat_amount: 80_002 }, { total_vat_amount: 80_002, total_amount: 1_080_002 }),
      'InvalidData',
      /tiền thuế GTGT/,
    ],
    ['taxed line without VAT account', withLine({ vat_account: undefined }), 'InvalidData', /vat_account/],
    ['total mismatch by 1 đồng', { ...good, total_amount: 1_080_001 }, 'InvalidData', /total_amount/],
    [
      'invoice with bad symbol',
      { ...good, pu_invoice: { inv_template_no: '1', inv_series: 'Z26TAA', inv_no: '1' } },
      'InvalidData',
      /Hóa đơn mua hàng/,
    ],
    ['invoice missing', { ...good, pu_invoice: undefined }, 'InvalidData', /thiếu pu_invoice/],
  ])('refuses %s', (_name, voucher, code, message) => {
    const problem = validateVoucher(tenant, settings, voucher as Record<string, unknown>)
    expect(problem?.code).toBe(code)
    expect(problem?.message).toMatch(message)
  })

  it('refuses a locked period with the lock date in the message', () => {
    tenant.lockedThrough = '2026-03-05'
    try {
      expect(validateVoucher(tenant, settings, good)).toEqual({
        code: 'LockedPeriod',
        message: expect.stringMatching(/khóa sổ đến ngày 05\/03\/2026/),
      })
      expect(validateVoucher(tenant, settings, { ...good, posted_date: '2026-03-06 00:00:00' })).toBeNull()
    } finally {
      tenant.lockedThrough = null
    }
  })

  it('checks the counterparty MST only in strict mode', () => {
    const voucher = { ...good, account_object_tax_code: '0100233480' }
    expect(validateVoucher(tenant, settings, voucher)).toBeNull()
    expect(validateVoucher(tenant, { ...settings, strict: true }, voucher)?.message).toMatch(/Mã số thuế/)
  })
})

/**
 * The asynchronous checks AMIS applies to a voucher proposal before accepting it. MISA does not
 * publish its texts or order; these mirror accounting reality (reference §6.2) and return the first
 * problem with a Vietnamese message naming the line and field.
 */

import {
  normalizeInvoiceNumber,
  parseFormNumber,
  parseInvoiceSymbol,
} from '../../../../core/vietnam/e-invoice.ts'
import { validateMst } from '../../../../core/vietnam/mst.ts'
import { parseVatCode, type VatCode } from '../../../../core/vietnam/vat.ts'
import { parseVietnamDateTime, vietnamDate } from '../../../../core/vietnam/vietnam-time.ts'
import { convertToVnd, roundVnd, voucherTotals } from '../../../../core/vietnam/vnd.ts'
import { dictionaryTypes as T } from '../../dictionary-types.ts'
import type { SandboxSettings } from '../state/sandbox-settings.ts'
import type { Tenant } from '../state/sandbox-state.ts'

/** Why a proposal failed. */
export interface VoucherProblem {
  code: string
  message: string
}

/** voucher_type values the sandbox accepts (6 = cash payment is our guess; see the README). */
export const supportedVoucherTypes = new Set([5, 6, 8, 10, 11, 12, 13, 17, 18, 20, 21])
const AMIS_VAT_RATES = new Set([0, 5, 8, 10, -1, -2, -3])
const PURCHASE_TYPES = new Set([17, 18, 21])
const STOCK_ITEM_TYPES = new Set([0, 1, 3])
const ZERO_GUID = '00000000-0000-0000-0000-000000000000'

const bad = (message: string): VoucherProblem => ({ code: 'InvalidParam', message })
const invalid = (message: string): VoucherProblem => ({ code: 'InvalidData', message })

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function ddmmyyyy(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`
}

function checkAccount(tenant: Tenant, account: unknown, where: string): VoucherProblem | null {
  if (account === undefined || account === null || account === '') return invalid(`${where}: thiếu tài khoản`)
  const found = tenant.dictionaries.getByCode(T.account.readType, account)
  if (!found) return invalid(`${where}: tài khoản ${account} không tồn tại trong hệ thống tài khoản`)
  if (found.is_parent === true)
    return invalid(`${where}: tài khoản ${account} là tài khoản tổng hợp, phải chọn tài khoản chi tiết`)
  return null
}

function checkLine(
  tenant: Tenant,
  settings: SandboxSettings,
  voucherType: number,
  line: Record<string, unknown>,
  n: number,
): VoucherProblem | null {
  const at = `Dòng ${n}`
  const itemRef = line.inventory_item_id ?? line.inventory_item_code
  const item =
    tenant.dictionaries.getById(T.inventoryItem.readType, line.inventory_item_id) ??
    tenant.dictionaries.getByCode(T.inventoryItem.readType, line.inventory_item_code)
  if (voucherType === 18 && itemRef === undefined)
    return invalid(`${at}: thiếu mã hàng (inventory_item_code)`)
  if (itemRef !== undefined && !item) return invalid(`${at}: mã hàng ${itemRef} không tồn tại`)
  const stockRef = line.stock_id ?? line.stock_code
  const stock =
    tenant.dictionaries.getById(T.stock.readType, line.stock_id) ??
    tenant.dictionaries.getByCode(T.stock.readType, line.stock_code)
  if (
    voucherType === 18 &&
    item &&
    STOCK_ITEM_TYPES.has(Number(item.inventory_item_type)) &&
    stockRef === undefined
  )
    return invalid(`${at}: thiếu kho (stock_code)`)
  if (stockRef !== undefined && !stock) return invalid(`${at}: kho ${stockRef} không tồn tại`)
  if (line.unit_name !== undefined && !tenant.dictionaries.getByCode(T.unit.readType, line.unit_name))
    return invalid(`${at}: đơn vị tính ${line.unit_name} không tồn tại`)
  const problem =
    checkAccount(tenant, line.debit_account, `${at} (TK Nợ)`) ??
    checkAccount(tenant, line.credit_account, `${at} (TK Có)`)
  if (problem) return problem
  const amount = num(line.amount)
  if (amount === null || !Number.isInteger(amount))
    return invalid(`${at}: thành tiền (amount) phải là số nguyên đồng`)
  const quantity = num(line.quantity)
  const unitPrice = num(line.unit_price)
  if (
    quantity !== null &&
    unitPrice !== null &&
    Math.abs(roundVnd(quantity * unitPrice) - amount) > settings.vatToleranceVnd
  ) {
    return invalid(
      `${at}: số lượng × đơn giá (${roundVnd(quantity * unitPrice)}) khác thành tiền (${amount})`,
    )
  }
  const amountOc = num(line.amount_oc)
  const rate = num(line.exchange_rate) ?? 1
  if (
    amountOc !== null &&
    Math.abs(convertToVnd(amountOc, rate, line.exchange_rate_operator === '/' ? '/' : '*') - amount) >
      settings.vatToleranceVnd
  ) {
    return invalid(`${at}: thành tiền quy đổi không khớp với thành tiền nguyên tệ × tỷ giá`)
  }
  if (voucherType === 6) return null
  if (!AMIS_VAT_RATES.has(num(line.vat_rate) ?? Number.NaN))
    return bad(`${at}: thuế suất GTGT (vat_rate) không hợp lệ: ${line.vat_rate}`)
  let vat: VatCode
  try {
    vat = parseVatCode(num(line.vat_rate) ?? Number.NaN, num(line.other_vat_rate))
  } catch {
    return bad(`${at}: thuế suất GTGT (vat_rate) không hợp lệ: ${line.vat_rate}`)
  }
  if (vat.vatRate !== 0 && vat.vatRate !== -1 && vat.vatRate !== -2 && !line.vat_account)
    return invalid(`${at}: thiếu TK thuế GTGT (vat_account)`)
  if (line.vat_account) {
    const vatProblem = checkAccount(tenant, line.vat_account, `${at} (TK thuế GTGT)`)
    if (vatProblem) return vatProblem
  }
  const vatAmount = num(line.vat_amount) ?? 0
  const expected = roundVnd(((amount - (num(line.discount_amount) ?? 0)) * vat.percent) / 100)
  if (!Number.isInteger(vatAmount) || Math.abs(vatAmount - expected) > settings.vatToleranceVnd) {
    return invalid(`${at}: tiền thuế GTGT ${vatAmount} không khớp với thuế suất ${vat.code} (${expected})`)
  }
  return null
}

function checkTotals(
  voucher: Record<string, unknown>,
  lines: Record<string, unknown>[],
  tolerance: number,
  voucherType: number,
): VoucherProblem | null {
  const totals = voucherTotals(
    lines.map((l) => ({
      amount: Number(l.amount),
      vat_amount: num(l.vat_amount) ?? 0,
      discount_amount: num(l.discount_amount) ?? 0,
    })),
  )
  const checks: [string, number][] =
    voucherType === 6
      ? [['total_amount', totals.total_sale_amount]]
      : [
          ['total_sale_amount', totals.total_sale_amount],
          ['total_discount_amount', totals.total_discount_amount],
          ['total_vat_amount', totals.total_vat_amount],
          ['total_amount', totals.total_amount],
        ]
  for (const [field, expected] of checks) {
    const given = num(voucher[field])
    if (given === null && field === 'total_discount_amount') continue
    if (given === null || Math.abs(given - expected) > tolerance)
      return invalid(`Tổng tiền ${field} (${given}) không khớp với tổng chi tiết (${expected})`)
  }
  return null
}

function checkInvoice(voucher: Record<string, unknown>): VoucherProblem | null {
  if (voucher.include_invoice !== 1) return null
  const invoice = voucher.pu_invoice as Record<string, unknown> | undefined
  if (!invoice || typeof invoice !== 'object')
    return invalid('Chứng từ có hóa đơn (include_invoice = 1) nhưng thiếu pu_invoice')
  try {
    parseFormNumber(invoice.inv_template_no as string)
    parseInvoiceSymbol(invoice.inv_series as string)
    normalizeInvoiceNumber(invoice.inv_no as string)
  } catch (e) {
    return invalid(`Hóa đơn mua hàng: ${(e as Error).message}`)
  }
  return null
}

/** Returns the first reason AMIS would refuse the proposal, or null when it is accepted. */
export function validateVoucher(
  tenant: Tenant,
  settings: SandboxSettings,
  voucher: Record<string, unknown>,
): VoucherProblem | null {
  const voucherType = Number(voucher.voucher_type)
  if (!supportedVoucherTypes.has(voucherType))
    return bad(`Loại chứng từ không hợp lệ (voucher_type = ${voucher.voucher_type})`)
  if (typeof voucher.org_refid !== 'string' || voucher.org_refid === '' || voucher.org_refid.length > 36)
    return bad('org_refid phải là chuỗi 1-36 ký tự')
  const branch = tenant.dictionaries.getById(T.organizationUnit.readType, voucher.branch_id)
  if (
    voucher.branch_id !== ZERO_GUID &&
    (!branch || ![1, 2].includes(Number(branch.organization_unit_type_id)))
  ) {
    return invalid(`Chi nhánh (branch_id) ${voucher.branch_id ?? ''} không tồn tại`)
  }
  let posted: Date
  try {
    parseVietnamDateTime(String(voucher.refdate ?? ''))
    posted = parseVietnamDateTime(String(voucher.posted_date ?? ''))
  } catch {
    return bad('Ngày chứng từ (refdate) hoặc ngày hạch toán (posted_date) không hợp lệ')
  }
  const postedDate = vietnamDate(posted)
  if (tenant.lockedThrough && postedDate <= tenant.lockedThrough) {
    return {
      code: 'LockedPeriod',
      message: `Kỳ kế toán đã khóa sổ đến ngày ${ddmmyyyy(tenant.lockedThrough)}. Không thể ghi sổ chứng từ có ngày hạch toán ${ddmmyyyy(postedDate)}.`,
    }
  }
  const objectRef = voucher.account_object_id ?? voucher.account_object_code
  const object =
    tenant.dictionaries.getById(T.accountObject.readType, voucher.account_object_id) ??
    tenant.dictionaries.getByCode(T.accountObject.readType, voucher.account_object_code)
  if (!object) return invalid(`Đối tượng ${objectRef ?? '(trống)'} không tồn tại`)
  if (object.inactive === true) return invalid(`Đối tượng ${object.account_object_code} đã ngừng theo dõi`)
  if (PURCHASE_TYPES.has(voucherType) && object.is_vendor !== true)
    return invalid(`Đối tượng ${object.account_object_code} không phải là nhà cung cấp`)
  if (settings.strict && voucher.account_object_tax_code) {
    const mst = validateMst(String(voucher.account_object_tax_code))
    if (!mst.valid) return invalid(`Mã số thuế không hợp lệ: ${mst.message}`)
  }
  const lines = voucher.detail
  if (!Array.isArray(lines) || lines.length === 0)
    return bad('Chứng từ phải có ít nhất một dòng chi tiết (detail)')
  if (lines.length > 500) return bad(`Số dòng chi tiết (${lines.length}) vượt quá giới hạn 500 dòng`)
  for (const [i, line] of lines.entries()) {
    if (!line || typeof line !== 'object') return bad(`Dòng ${i + 1}: không đúng định dạng`)
    // MISA carries the rate on the header; a line converts at it unless it states its own.
    const withRate = { exchange_rate: voucher.exchange_rate, ...(line as Record<string, unknown>) }
    const problem = checkLine(tenant, settings, voucherType, withRate, i + 1)
    if (problem) return problem
  }
  return (
    checkTotals(voucher, lines, settings.totalToleranceVnd, voucherType) ??
    (voucherType === 18 ? checkInvoice(voucher) : null)
  )
}

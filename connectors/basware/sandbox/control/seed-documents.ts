/**
 * Realistic accounting documents for the demo company: Vietnamese suppliers (by code, with their MST
 * in `text1`), VND and USD invoices, 1–5 coding rows with DEPARTMENT cost centres and PROJECT
 * dimensions, 8 % / 10 % VAT, some rows matched to purchase order lines.
 */
import { randomUUID } from 'node:crypto'
import { demoCompany } from '../../../../core/demo/demo-company.ts'
import type { AccountingDocument } from '../state/document-store.ts'

/** The Basware company code of the demo company. */
export const DEMO_COMPANY_CODE = 'VN01'

const EXPENSE_ACCOUNTS = ['1521', '1561', '6271', '6411', '6422', '6427']
const PRODUCTS = [
  'Thép tấm SS400',
  'Thùng carton 5 lớp',
  'Cước vận chuyển',
  'Bản quyền phần mềm',
  'Bảo trì điều hòa',
  'Giấy in A4',
  'Dịch vụ tư vấn',
]
const DAY_MS = 24 * 60 * 60 * 1000

/** A small deterministic PRNG, so a seeded sandbox looks the same run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const day = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)}T00:00:00`

/**
 * Whose chart of accounts coders picked from: BC's (Basware fed by the bc-basware recipe) or MISA's
 * VAS accounts (Basware fed by the basware-misa recipe).
 */
export type DocumentChart = 'bc' | 'vas'

/** Builds one invoice waiting for transfer (or in `status`), coded on the given chart. */
export function buildDocument(
  random: () => number,
  now: Date,
  sequence: number,
  status = 'WaitingForTransfer',
  chart: DocumentChart = 'bc',
): AccountingDocument {
  const vendors = demoCompany.vendors.filter((v) => !('blocked' in v && v.blocked))
  const vendor = pick(random, vendors)
  const usd = vendor.currency === 'USD'
  const round = (n: number) => (usd ? Math.round(n * 100) / 100 : Math.round(n))
  const rate = usd ? demoCompany.usdToVnd : 1
  const vat = pick(random, [8, 10] as const)
  const taxCode = `VAT${vat}`
  const term = demoCompany.paymentTerms.find((t) => t.code === vendor.paymentTermsCode)!
  const invoiceDate = now.getTime() - Math.floor(random() * 20 + 2) * DAY_MS
  const orderNumber = random() < 0.4 ? `PO-2026-${String(1000 + sequence).padStart(5, '0')}` : undefined
  const rowCount = 1 + Math.floor(random() * 5)
  const codingRows = Array.from({ length: rowCount }, (_, i) => {
    const department = pick(random, demoCompany.dimensions.DEPARTMENT)
    const project = pick(random, demoCompany.dimensions.PROJECT)
    const bcNumber = pick(random, EXPENSE_ACCOUNTS)
    const account = demoCompany.accounts.find((a) => a.bcNumber === bcNumber)!
    const accountCode = chart === 'vas' ? account.vasNumber : account.bcNumber
    const netTotal = round(usd ? 200 + random() * 4800 : (1 + Math.floor(random() * 200)) * 100_000)
    const taxSum = round((netTotal * vat) / 100)
    const quantity = 1 + Math.floor(random() * 20)
    return {
      externalCode: randomUUID().replaceAll('-', ''),
      rowIndex: i + 1,
      accountCode,
      accountName: account.name,
      costCenterCode: department.code,
      costCenterName: department.name,
      projectCode: project.code,
      projectName: project.name,
      dimCode1: project.code,
      dimName1: project.name,
      taxCode,
      taxPercent: vat,
      netTotal,
      taxSum,
      grossTotal: round(netTotal + taxSum),
      netTotalCompany: Math.round(netTotal * rate),
      grossTotalCompany: Math.round((netTotal + taxSum) * rate),
      ...(orderNumber
        ? {
            orderNumber,
            orderLineNumber: String((i + 1) * 10),
            goodsReceiptNumber: `GR-${sequence}-${i + 1}`,
            matchedQuantity: quantity,
            orderedQuantity: quantity,
          }
        : {}),
    }
  })
  const netSum = round(codingRows.reduce((s, r) => s + r.netTotal, 0))
  const taxSum1 = round(codingRows.reduce((s, r) => s + r.taxSum, 0))
  const grossSum = round(netSum + taxSum1)
  return {
    invoiceId: randomUUID().replaceAll('-', ''),
    bumid: randomUUID(),
    p2pProcessingMode: 'Standard',
    processingStatus: status,
    originService: 1,
    companyCode: DEMO_COMPANY_CODE,
    companyName: demoCompany.name,
    supplierCode: vendor.code,
    supplierName: vendor.name,
    invoiceNumber: `1C26T${String.fromCharCode(65 + (sequence % 26))}${String(sequence).padStart(7, '0')}`,
    invoiceDate: day(invoiceDate),
    baseLineDate: day(invoiceDate),
    dueDate: day(invoiceDate + (term.days || 30) * DAY_MS),
    voucherDate: day(now.getTime()),
    currencyCode: vendor.currency,
    netSum,
    taxSum1,
    grossSum,
    taxCode,
    taxPercent1: vat,
    currencyCodeCompany: 'VND',
    exchangeRateCompany: rate,
    netSumCompany: Math.round(netSum * rate),
    taxSum1Company: Math.round(taxSum1 * rate),
    grossSumCompany: Math.round(grossSum * rate),
    paymentTermCode: term.code,
    paymentTermName: term.name,
    paymentBlock: false,
    description: `${pick(random, PRODUCTS)} — ${vendor.city}`,
    clearingCountry: 'VN',
    text1: vendor.taxCode,
    orderNumbers: orderNumber ? [orderNumber] : [],
    lastUpdated: now.toISOString(),
    codingRows,
    invoiceLines: codingRows.map((r) => ({
      externalCode: `${r.externalCode.slice(0, 24)}L`,
      rowIndex: r.rowIndex,
      productName: pick(random, PRODUCTS),
      quantity: r.matchedQuantity ?? 1,
      netSum: r.netTotal,
      taxCode,
      taxPercent: vat,
      taxSum: r.taxSum,
      grossSum: r.grossTotal,
      ...(orderNumber ? { orderNumber, orderRowNumber: r.orderLineNumber } : {}),
    })),
    attachments: [],
    transferParameters: [{ key: 'InvoiceBatchId', value: randomUUID() }],
    transferResponses: [],
    paymentResponses: [],
  }
}

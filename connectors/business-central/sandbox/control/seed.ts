/**
 * Seeds the demo company from `core/demo/demo-company.ts` (the Vietnamese subsidiary every sandbox
 * shares): currencies, payment terms, VAT groups, the chart of accounts, DEPARTMENT/PROJECT
 * dimensions, vendors with their MST, a payment journal, some posted and paid invoices, purchase
 * orders and receipts; plus a second, small company so multi-company routing is exercised.
 */
import { randomUUID } from 'node:crypto'
import { demoCompany } from '../../../../core/demo/demo-company.ts'
import { blankRecord, emptyGuid } from '../rules/blank-record.ts'
import { invoiceKind } from '../rules/document-kinds.ts'
import { postDocument, postJournal } from '../rules/posting.ts'
import { createDocument } from '../rules/purchase-documents.ts'
import { type Company, newCompany, type SandboxState, stamp } from '../state/sandbox-state.ts'

/** Fixed ids, so a restarted demo keeps its connection config valid. */
export const mainCompanyId = '4a2b6c8d-1e3f-4a5b-8c7d-9e0f1a2b3c4d'
export const branchCompanyId = '5b3c7d9e-2f40-4b6c-9d8e-0f1a2b3c4d5e'

function insert(
  state: SandboxState,
  company: Company,
  set: string,
  values: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const data = blankRecord(set, { ...values, lastModifiedDateTime: stamp(state) })
  return company.tables[set]!.insert(randomUUID(), data, extra)
}

function codeOf(company: Company, set: string, code: string): string {
  return [...company.tables[set]!.lookup('code', code)][0] ?? emptyGuid
}

/** Reference data every company needs (currencies, terms, VAT, accounts, dimensions, journal). */
function seedReference(state: SandboxState, company: Company): void {
  insert(state, company, 'currencies', {
    code: 'VND',
    displayName: 'Việt Nam Đồng',
    symbol: '₫',
    amountDecimalPlaces: '0:0',
    amountRoundingPrecision: 1,
  })
  insert(state, company, 'currencies', {
    code: 'USD',
    displayName: 'US Dollar',
    symbol: '$',
    amountDecimalPlaces: '2:2',
    amountRoundingPrecision: 0.01,
  })
  insert(state, company, 'currencies', {
    code: 'EUR',
    displayName: 'Euro',
    symbol: '€',
    amountDecimalPlaces: '2:2',
    amountRoundingPrecision: 0.01,
  })
  for (const terms of demoCompany.paymentTerms) {
    insert(state, company, 'paymentTerms', {
      code: terms.code,
      displayName: terms.name,
      dueDateCalculation: terms.code === 'CM' ? 'CM' : `${terms.days}D`,
      discountDateCalculation: '',
    })
  }
  for (const rate of demoCompany.vatRates) {
    insert(
      state,
      company,
      'taxGroups',
      { code: `VAT${rate}`, displayName: `VAT ${rate}%`, taxType: 'VAT' },
      { rate },
    )
  }
  insert(state, company, 'taxAreas', { code: 'DOMESTIC', displayName: 'Domestic vendors', taxType: 'VAT' })
  insert(state, company, 'taxAreas', { code: 'FOREIGN', displayName: 'Foreign vendors', taxType: 'VAT' })
  insert(state, company, 'accounts', {
    number: '6000',
    displayName: 'CHI PHÍ',
    category: 'Expense',
    accountType: 'Heading',
    directPosting: false,
  })
  for (const account of demoCompany.accounts) {
    const control = account.bcNumber === '3311' || account.bcNumber === '1331'
    insert(
      state,
      company,
      'accounts',
      {
        number: account.bcNumber,
        displayName: account.name,
        category: account.category,
        accountType: 'Posting',
        directPosting: !control,
        consolidationTranslationMethod: 'Average_x0020_Rate_x0020__x0028_Manual_x0029_',
      },
      { taxCode: account.category === 'Expense' || account.bcNumber.startsWith('15') ? 'VAT10' : '' },
    )
  }
  for (const [code, values] of Object.entries(demoCompany.dimensions)) {
    const dimension = insert(state, company, 'dimensions', {
      code,
      displayName: code === 'DEPARTMENT' ? 'Phòng ban' : 'Dự án',
    })
    for (const value of values) {
      insert(state, company, 'dimensionValues', {
        code: value.code,
        displayName: value.name,
        dimensionId: dimension.id,
      })
    }
  }
  const bank = codeOfAccount(company, '1121')
  insert(
    state,
    company,
    'vendorPaymentJournals',
    {
      code: 'PAYMENT',
      displayName: 'Thanh toán nhà cung cấp',
      balancingAccountId: bank,
      balancingAccountNumber: '1121',
    },
    { balancingAccountNumber: '1121' },
  )
}

function codeOfAccount(company: Company, number: string): string {
  return [...company.tables.accounts!.lookup('number', number)][0] ?? emptyGuid
}

/** Vendors of the demo company (all, or the first `limit`). */
function seedVendors(state: SandboxState, company: Company, limit = Infinity): void {
  for (const vendor of demoCompany.vendors.slice(0, limit)) {
    const currency =
      vendor.currency === 'VND'
        ? { currencyId: emptyGuid, currencyCode: 'VND' }
        : { currencyId: codeOf(company, 'currencies', vendor.currency), currencyCode: vendor.currency }
    const dims: Record<string, string> = {}
    if (vendor.code === 'V0040') {
      const it = [...company.tables.dimensionValues!.lookup('code', 'IT')][0]
      if (it) dims[company.tables.dimensionValues!.get(it)!.data.dimensionId as string] = it
    }
    insert(
      state,
      company,
      'vendors',
      {
        number: vendor.code,
        displayName: vendor.name,
        addressLine1: vendor.address,
        city: vendor.city,
        country: 'VN',
        taxRegistrationNumber: vendor.taxCode,
        ...currency,
        paymentTermsId: codeOf(company, 'paymentTerms', vendor.paymentTermsCode),
        taxLiable: true,
        blocked: vendor.blocked ? 'All' : '_x0020_',
      },
      { defaultDims: dims },
    )
  }
  company.series.V = 90
}

/** A realistic invoice body for `vendorNumber`, `n` distinguishing its numbers. */
export function demoInvoiceBody(
  vendorNumber: string,
  usd: boolean,
  n: number,
  date: string,
): Record<string, unknown> {
  const accounts = ['6271', '6411', '6422', '6427', '1521']
  const departments = ['ADM', 'SALES', 'PROD', 'IT']
  const projects = ['P-HCM01', 'P-HN02', 'P-DN03']
  const lines = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const unitCost = usd
      ? Math.round((100 + ((n * 37 + i * 101) % 4900)) * 100) / 100
      : (1 + ((n * 13 + i * 7) % 50)) * 100_000
    const dims = [{ code: 'DEPARTMENT', valueCode: departments[(n + i) % departments.length] }]
    if ((n + i) % 2 === 0) dims.push({ code: 'PROJECT', valueCode: projects[(n + i) % projects.length]! })
    return {
      lineType: 'Account',
      lineObjectNumber: accounts[(n + i) % accounts.length],
      description: `Hàng hóa/dịch vụ ${n}-${i + 1}`,
      quantity: 1 + ((n + i) % 4),
      unitCost,
      taxCode: i % 3 === 2 ? 'VAT8' : 'VAT10',
      dimensionSetLines: dims,
    }
  })
  return {
    vendorNumber,
    vendorInvoiceNumber: `HD-${date.slice(0, 4)}-${String(n).padStart(6, '0')}`,
    invoiceDate: date,
    postingDate: date,
    purchaseInvoiceLines: lines,
  }
}

/** Pays an open invoice in full through the payment journal (status becomes Paid). */
export function payInvoice(state: SandboxState, company: Company, invoiceId: string): void {
  const invoice = company.tables.purchaseInvoices!.get(invoiceId)
  const journal = company.tables.vendorPaymentJournals!.all()[0]
  if (!invoice || !journal || invoice.data.status !== 'Open') return
  const data = blankRecord('vendorPayments', {
    journalId: journal.id,
    journalDisplayName: journal.data.code,
    lineNumber: 10000,
    vendorId: invoice.data.vendorId,
    vendorNumber: invoice.data.vendorNumber,
    postingDate: state.now().toISOString().slice(0, 10),
    documentNumber: `PMT-${invoice.data.number}`,
    amount: invoice.data.totalAmountIncludingTax,
    appliesToInvoiceId: invoice.id,
    appliesToInvoiceNumber: invoice.data.number,
    description: `Thanh toán ${invoice.data.vendorInvoiceNumber}`,
    lastModifiedDateTime: stamp(state),
  })
  company.tables.vendorPayments!.insert(randomUUID(), data)
  postJournal(state, company, journal)
}

function seedDocuments(state: SandboxState, company: Company): void {
  const active = demoCompany.vendors.filter((v) => !v.blocked)
  const base = state.now()
  for (let n = 1; n <= 8; n++) {
    const vendor = active[n % active.length]!
    const date = new Date(base.getTime() - (40 - n * 4) * 86_400_000).toISOString().slice(0, 10)
    const invoice = createDocument(
      state,
      company,
      invoiceKind,
      demoInvoiceBody(vendor.code, vendor.currency === 'USD', n, date),
    )
    if (n <= 6) postDocument(state, company, invoiceKind, invoice)
    if (n <= 2) payInvoice(state, company, invoice.id)
  }
  for (let n = 1; n <= 3; n++) {
    const vendor = active[n]!
    const order = insert(state, company, 'purchaseOrders', {
      number: `PO-${1000 + n}`,
      orderDate: base.toISOString().slice(0, 10),
      postingDate: base.toISOString().slice(0, 10),
      vendorNumber: vendor.code,
      vendorName: vendor.name,
      currencyCode: vendor.currency,
      status: n === 3 ? 'Draft' : 'Open',
      totalAmountExcludingTax: n * 10_000_000,
      totalTaxAmount: n * 1_000_000,
      totalAmountIncludingTax: n * 11_000_000,
      fullyReceived: n === 1,
    })
    insert(state, company, 'purchaseOrderLines', {
      documentId: order.id,
      sequence: 10000,
      lineType: 'Account',
      lineObjectNumber: '1521',
      description: 'Nguyên liệu',
      quantity: n * 10,
      directUnitCost: 1_000_000,
      amountExcludingTax: n * 10_000_000,
      receivedQuantity: n === 1 ? 10 : 0,
    })
    if (n === 1) {
      const receipt = insert(state, company, 'purchaseReceipts', {
        number: `PR-${2000 + n}`,
        postingDate: base.toISOString().slice(0, 10),
        invoiceDate: base.toISOString().slice(0, 10),
        vendorNumber: vendor.code,
        vendorName: vendor.name,
        currencyCode: vendor.currency,
        orderNumber: order.data.number,
      })
      insert(state, company, 'purchaseReceiptLines', {
        documentId: receipt.id,
        sequence: 10000,
        lineType: 'G_x002F_L_x0020_Account',
        lineObjectNumber: '1521',
        description: 'Nguyên liệu',
        quantity: 10,
        unitCost: 1_000_000,
      })
    }
  }
}

/**
 * What the Work 365 pattern's sales invoices need: the CSP's customers (the billing system's
 * `erpNumber`s), units of measure, the licence items and a write-in item for lines without a product.
 */
function seedSales(state: SandboxState, company: Company): void {
  for (const [code, displayName] of [
    ['PCS', 'Piece'],
    ['HOUR', 'Hour'],
    ['MONTH', 'Month'],
  ] as const)
    insert(state, company, 'unitsOfMeasure', {
      code,
      displayName,
      internationalStandardCode: code === 'PCS' ? 'EA' : '',
    })
  const unit = (code: string) => codeOf(company, 'unitsOfMeasure', code)
  for (const [number, displayName, type, price, base] of [
    ['M365-BP', 'Microsoft 365 Business Premium', 'Service', 22, 'MONTH'],
    ['M365-E3', 'Microsoft 365 E3', 'Service', 36, 'MONTH'],
    ['AZURE', 'Azure consumption', 'Service', 0, 'PCS'],
    ['WRITE-IN', 'Write-in item (lines without a product)', 'Service', 0, 'PCS'],
  ] as const)
    insert(state, company, 'items', {
      number,
      displayName,
      type,
      unitPrice: price,
      baseUnitOfMeasureId: unit(base),
      baseUnitOfMeasureCode: base,
    })
  const terms = codeOf(company, 'paymentTerms', '30 DAYS')
  for (const [number, displayName, city] of [
    ['10000', 'Adatum Corporation', 'Atlanta'],
    ['20000', 'Trey Research', 'Chicago'],
    ['30000', 'Alpine Ski House', 'Denver'],
  ] as const)
    insert(state, company, 'customers', {
      number,
      displayName,
      type: 'Company',
      city,
      country: 'US',
      currencyCode: 'USD',
      currencyId: codeOf(company, 'currencies', 'USD'),
      paymentTermsId: terms,
      blocked: '_x0020_',
    })
}

/** Seeds both companies; `demo` adds vendors and documents, `empty` reference data only. */
export function seed(state: SandboxState, mode: 'demo' | 'empty'): void {
  state.companies.clear()
  const main = newCompany(demoCompany.name, mainCompanyId)
  const branch = newCompany('CRONUS Việt Nam - Chi nhánh Hà Nội', branchCompanyId)
  state.companies.set(main.id, main)
  state.companies.set(branch.id, branch)
  seedReference(state, main)
  seedReference(state, branch)
  seedSales(state, main)
  if (mode === 'empty') return
  seedVendors(state, main)
  seedVendors(state, branch, 3)
  seedDocuments(state, main)
}

/**
 * `Microsoft.NAV.post` for purchase documents and payment journals, with the checks BC runs at
 * posting: allowed posting dates, blocked vendors, the vendor's document number (mandatory, unique
 * per vendor among posted documents), something to post, blocked or disallowed dimension values.
 * A failed post changes nothing; a successful one keeps the id, assigns the posted number, sets
 * status Open, writes G/L entries and an open vendor balance that payments later close (Paid).
 */
import { randomUUID } from 'node:crypto'
import { dialog } from '../protocol/bc-http-error.ts'
import { type Company, nextNumber, type SandboxState, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { blankRecord } from './blank-record.ts'
import { type DimensionSet, dimensionCodes } from './dimension-set.ts'
import type { DocumentKind } from './document-kinds.ts'
import { invoiceKind } from './document-kinds.ts'

function checkPostingDate(state: SandboxState, postingDate: string): void {
  const { allowPostingFrom, allowPostingTo } = state.settings
  if (
    (allowPostingFrom && postingDate < allowPostingFrom) ||
    (allowPostingTo && postingDate > allowPostingTo)
  ) {
    throw dialog('Posting Date is not within your range of allowed posting dates.')
  }
}

function checkDimensions(
  state: SandboxState,
  company: Company,
  kind: DocumentKind,
  number: string,
  dims: DimensionSet,
  account: string,
): void {
  for (const { dimension, value } of dimensionCodes(company, dims)) {
    if (state.settings.blockedDimensionValues.includes(`${dimension}/${value}`)) {
      throw dialog(`Dimension Value ${dimension} - ${value} is blocked.`)
    }
    const disallowed = state.settings.disallowedDimensions.some(
      (d) => d.account === account && d.dimension === dimension && d.value === value,
    )
    if (disallowed) {
      throw dialog(
        `Dimension value ${dimension}, ${value} is not allowed for G/L Account, ${account}. (${kind.caption} ${number})`,
      )
    }
  }
}

function accountByNumber(company: Company, number: string): Entity | undefined {
  const [id] = company.tables.accounts!.lookup('number', number)
  return id ? company.tables.accounts!.get(id) : undefined
}

/** Writes one G/L entry (amount > 0 debits, < 0 credits). */
export function glEntry(
  state: SandboxState,
  company: Company,
  entry: {
    accountNumber: string
    amount: number
    postingDate: string
    documentNumber: string
    documentType: string
    description: string
    dims?: DimensionSet
  },
): void {
  if (entry.amount === 0) return
  const account = accountByNumber(company, entry.accountNumber)
  const data = blankRecord('generalLedgerEntries', {
    entryNumber: company.nextEntryNumber++,
    postingDate: entry.postingDate,
    documentNumber: entry.documentNumber,
    documentType: entry.documentType,
    accountId: account?.id,
    accountNumber: entry.accountNumber,
    description: entry.description.slice(0, 100),
    debitAmount: Math.max(entry.amount, 0),
    creditAmount: Math.max(-entry.amount, 0),
  })
  const stored = company.tables.generalLedgerEntries!.insert(randomUUID(), data, {
    dims: { ...(entry.dims ?? {}) },
  })
  touch(state, company, 'generalLedgerEntries', stored, 'created')
}

/** Posts a draft purchase document; throws BC's error and changes nothing when a check fails. */
export function postDocument(
  state: SandboxState,
  company: Company,
  kind: DocumentKind,
  header: Entity,
): void {
  const h = header.data
  if (h.status !== 'Draft') throw dialog(`The action can be applied to a draft ${kind.noun} only.`)
  const vendor = company.tables.vendors!.get(String(h.vendorId))
  if (!vendor) throw dialog('The vendor cannot be found.')
  checkPostingDate(state, String(h.postingDate))
  if (vendor.data.blocked === 'All') {
    throw dialog(
      `You cannot post this type of document when Vendor ${vendor.data.number} is blocked with type All`,
    )
  }
  const vendorDocument = String(h[kind.vendorDocumentField] ?? '')
  if (!vendorDocument && state.settings.vendorInvoiceNumberMandatory) {
    throw dialog(
      'You need to enter the document number of the document from the vendor in the Vendor Invoice No. field, so that this document stays linked to the original.',
    )
  }
  const table = company.tables[kind.entitySet]!
  if (vendorDocument) {
    for (const id of table.lookup(kind.vendorDocumentField, vendorDocument)) {
      const other = table.get(id)!
      if (other.id !== header.id && other.data.status !== 'Draft' && other.data.vendorId === h.vendorId) {
        throw dialog(`${kind.caption} ${vendorDocument} already exists for this vendor.`)
      }
    }
  }
  const lines = [...company.tables[kind.lines]!.lookup('documentId', header.id)].map(
    (id) => company.tables[kind.lines]!.get(id)!,
  )
  const amountLines = lines.filter((l) => l.data.lineType !== 'Comment' && Number(l.data.quantity) !== 0)
  if (amountLines.length === 0)
    throw dialog('There is nothing to post because the document does not contain a quantity or amount.')
  for (const line of amountLines) {
    checkDimensions(
      state,
      company,
      kind,
      String(h.number),
      { ...header.extra.dims, ...line.extra.dims },
      String(line.data.lineObjectNumber),
    )
  }

  const number = nextNumber(company, kind.postedPrefix, 200000)
  const rate = h.currencyCode === 'USD' ? Number(header.extra.exchangeRate ?? 25_400) : 1
  const postingDate = String(h.postingDate)
  const common = { postingDate, documentNumber: number, documentType: kind.documentType }
  let vat = 0
  for (const line of amountLines) {
    vat += Number(line.data.totalTaxAmount)
    glEntry(state, company, {
      ...common,
      accountNumber: String(line.data.lineObjectNumber),
      amount: kind.sign * Math.round(Number(line.data.amountExcludingTax) * rate),
      description: String(line.data.description || h.vendorName),
      dims: { ...header.extra.dims, ...line.extra.dims },
    })
  }
  glEntry(state, company, {
    ...common,
    accountNumber: '1331',
    amount: kind.sign * Math.round(vat * rate),
    description: `VAT ${number}`,
  })
  const total = Number(h.totalAmountIncludingTax)
  glEntry(state, company, {
    ...common,
    accountNumber: '3311',
    amount: -kind.sign * Math.round(total * rate),
    description: String(h.vendorName),
  })
  table.update(header, { number, status: 'Open' })
  header.extra.remaining = total
  touch(state, company, kind.entitySet, header)
}

/** Posts every line of a payment journal: G/L entries, invoices applied in full become Paid. */
export function postJournal(state: SandboxState, company: Company, journal: Entity): void {
  const payments = company.tables.vendorPayments!
  const lines = [...payments.lookup('journalId', journal.id)].map((id) => payments.get(id)!)
  if (lines.length === 0) throw dialog('There is nothing to post.')
  for (const line of lines) {
    checkPostingDate(state, String(line.data.postingDate))
    const vendor = company.tables.vendors!.get(String(line.data.vendorId))
    if (vendor && vendor.data.blocked !== '_x0020_') {
      throw dialog(
        `You cannot post this type of document when Vendor ${vendor.data.number} is blocked with type ${vendor.data.blocked}`,
      )
    }
  }
  const invoices = company.tables[invoiceKind.entitySet]!
  for (const line of lines) {
    const amount = Number(line.data.amount)
    const common = {
      postingDate: String(line.data.postingDate),
      documentNumber: String(line.data.documentNumber),
      documentType: 'Payment',
      description: String(line.data.description || 'Payment'),
    }
    glEntry(state, company, { ...common, accountNumber: '3311', amount: Math.round(amount) })
    glEntry(state, company, {
      ...common,
      accountNumber: String(journal.extra.balancingAccountNumber ?? '1121'),
      amount: -Math.round(amount),
    })
    const invoice = invoices.get(String(line.data.appliesToInvoiceId))
    if (invoice && invoice.data.status === 'Open') {
      invoice.extra.remaining =
        Number(invoice.extra.remaining ?? invoice.data.totalAmountIncludingTax) - amount
      if (invoice.extra.remaining <= 0) {
        invoices.update(invoice, { status: 'Paid' })
        touch(state, company, invoiceKind.entitySet, invoice)
      }
    }
    payments.remove(line)
    state.onChange(company, 'vendorPayments', line, 'deleted')
  }
}

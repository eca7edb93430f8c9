/**
 * Sales invoices: a draft created by deep insert (header + salesInvoiceLines, all or nothing) for a
 * customer, lines of items (with a unit of measure), G/L accounts or comments, and posting. A number
 * given on create is BC's "No." entered by hand: allowed only when the sales invoice number series
 * has Manual Nos. (codeunit 304 "No. Series - Impl.", CannotAssignManuallyErr), kept when posted.
 */
import { randomUUID } from 'node:crypto'
import { encodeEnum } from '../../odata-enum.ts'
import { dialog } from '../protocol/bc-http-error.ts'
import { checkValue, validatePayload } from '../protocol/validate-payload.ts'
import { type Company, nextNumber, type SandboxState, stamp, today, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { blankRecord, emptyGuid } from './blank-record.ts'
import { invoiceKind } from './document-kinds.ts'
import { computeLine, precisionOf, roundTo } from './document-lines.ts'
import { dueDate } from './purchase-documents.ts'
import { resolveCurrency } from './vendors.ts'

/** The No. Series of sales invoices, as BC names it in messages. */
export const SALES_INVOICE_SERIES = 'S-INV'

function byNumber(company: Company, set: string, field: string, value: unknown): Entity | undefined {
  const [id] = company.tables[set]!.lookup(field, String(value ?? ''))
  return id ? company.tables[set]!.get(id) : undefined
}

/** Finds the customer by id or number; BC's message when neither finds one. */
function findCustomer(company: Company, fields: Record<string, unknown>): Entity {
  const customers = company.tables.customers!
  if (typeof fields.customerId === 'string' && fields.customerId !== emptyGuid) {
    const customer = customers.get(fields.customerId)
    if (!customer) throw dialog('The customer cannot be found.')
    return customer
  }
  if (typeof fields.customerNumber === 'string' && fields.customerNumber) {
    const customer = byNumber(company, 'customers', 'number', fields.customerNumber)
    if (!customer) throw dialog('The customer cannot be found.')
    return customer
  }
  throw dialog('A customerNumber or a customerID must be provided.')
}

/** Validates one line; item lines take the item's price and base unit unless given. */
function prepareSalesLine(
  company: Company,
  documentId: string,
  payload: unknown,
  sequence: number,
  precision: number,
): Record<string, unknown> {
  const { fields } = validatePayload('salesInvoiceLines', payload)
  let lineType = fields.lineType as string | undefined
  if (!lineType && fields.itemId) lineType = 'Item'
  if (!lineType && fields.accountId) lineType = 'Account'
  if (!lineType) lineType = fields.lineObjectNumber ? '' : 'Comment'
  if (!lineType) throw dialog('You must specify a "lineType" when you specify a "lineObjectNumber".')
  const data = blankRecord('salesInvoiceLines', {
    sequence,
    ...fields,
    lineType: encodeEnum(lineType),
    documentId,
  })
  if (lineType === 'Item') {
    const item =
      typeof fields.itemId === 'string' && fields.itemId !== emptyGuid
        ? company.tables.items!.get(fields.itemId)
        : byNumber(company, 'items', 'number', fields.lineObjectNumber)
    if (!item)
      throw dialog(
        `The Item does not exist. Identification fields and values: No.='${String(fields.lineObjectNumber ?? fields.itemId)}'`,
      )
    if (item.data.blocked) throw dialog(`You cannot sell Item ${item.data.number} because it is blocked.`)
    const unit = String(fields.unitOfMeasureCode ?? item.data.baseUnitOfMeasureCode)
    const uom = byNumber(company, 'unitsOfMeasure', 'code', unit)
    if (!uom)
      throw dialog(
        `The Item Unit of Measure does not exist. Identification fields and values: Item No.='${item.data.number}',Code='${unit}'`,
      )
    Object.assign(data, {
      itemId: item.id,
      lineObjectNumber: item.data.number,
      unitOfMeasureId: uom.id,
      unitOfMeasureCode: uom.data.code,
      description: fields.description ?? item.data.displayName,
      unitPrice: fields.unitPrice ?? item.data.unitPrice,
    })
  } else if (lineType === 'Account') {
    const account = byNumber(company, 'accounts', 'number', fields.lineObjectNumber)
    if (!account) throw dialog('Account does not exist.')
    Object.assign(data, {
      accountId: account.id,
      description: fields.description ?? account.data.displayName,
    })
  } else if (lineType !== 'Comment') {
    throw dialog(`The sandbox does not emulate sales lines of type ${lineType}.`)
  }
  // computeLine prices by unitCost (purchase); a sales line's price is unitPrice.
  const priced = { ...data, unitCost: data.unitPrice }
  computeLine(company, priced, precision)
  const { unitCost: _cost, ...computed } = priced
  return computed
}

/** Creates a draft sales invoice (deep insert) from a request body. */
export function createSalesInvoice(state: SandboxState, company: Company, body: unknown): Entity {
  const { number, ...rest } = (body ?? {}) as Record<string, unknown>
  const { fields, children } = validatePayload('salesInvoices', rest, ['salesInvoiceLines'])
  const invoices = company.tables.salesInvoices!
  // A blank No. is no number at all: BC assigns one from the series.
  const manual = number !== undefined && number !== null && number !== ''
  if (manual) {
    if (!state.settings.manualSalesInvoiceNumbers)
      throw dialog(
        `You may not enter numbers manually. If you want to enter numbers manually, please activate Manual Nos. in No. Series ${SALES_INVOICE_SERIES}.`,
      )
    checkValue('number', { type: 'string', maxLength: 20 }, number, 'salesInvoice')
    if (byNumber(company, 'salesInvoices', 'number', number))
      throw dialog(
        `The record in table Sales Header already exists. Identification fields and values: Document Type='Invoice',No.='${number}'`,
      )
  }
  const customer = findCustomer(company, fields)
  if (customer.data.blocked === 'All' || customer.data.blocked === 'Invoice')
    throw dialog(
      `You cannot create this type of document when Customer ${customer.data.number} is blocked with type ${customer.data.blocked}`,
    )
  const invoiceDate = (fields.invoiceDate as string | undefined) ?? today(state)
  const currency = resolveCurrency(company, {
    currencyId: fields.currencyId,
    currencyCode: fields.currencyCode ?? (customer.data.currencyCode || undefined),
  })
  const id = randomUUID()
  const precision = precisionOf(company, currency.currencyCode)
  const lines = (children.salesInvoiceLines ?? []).map((line, i) =>
    prepareSalesLine(company, id, line, (i + 1) * 10000, precision),
  )
  const c = customer.data
  const data = blankRecord('salesInvoices', {
    postingDate: today(state),
    ...fields,
    customerId: customer.id,
    customerNumber: c.number,
    customerName: c.displayName,
    billToCustomerId: customer.id,
    billToCustomerNumber: c.number,
    billToName: c.displayName,
    sellToAddressLine1: c.addressLine1,
    sellToCity: c.city,
    sellToCountry: c.country,
    billToAddressLine1: c.addressLine1,
    billToCity: c.city,
    billToCountry: c.country,
    email: c.email,
    paymentTermsId: c.paymentTermsId,
    ...currency,
    invoiceDate,
    dueDate: fields.dueDate ?? dueDate(company, invoiceKind, c.paymentTermsId, invoiceDate),
    number: manual ? (number as string) : nextNumber(company, 'SI-', 100000),
    status: 'Draft',
    pricesIncludeTax: false,
    lastModifiedDateTime: stamp(state),
  })
  const header = invoices.insert(id, data, { manualNumber: manual })
  for (const line of lines) company.tables.salesInvoiceLines!.insert(randomUUID(), line)
  totals(company, header)
  touch(state, company, 'salesInvoices', header, 'created')
  return header
}

function totals(company: Company, header: Entity): void {
  const lines = company.tables.salesInvoiceLines!
  let net = 0
  let tax = 0
  for (const id of lines.lookup('documentId', header.id)) {
    net += Number(lines.get(id)!.data.amountExcludingTax)
    tax += Number(lines.get(id)!.data.totalTaxAmount)
  }
  const precision = precisionOf(company, String(header.data.currencyCode))
  const gross = roundTo(net + tax, precision)
  company.tables.salesInvoices!.update(header, {
    totalAmountExcludingTax: roundTo(net, precision),
    totalTaxAmount: roundTo(tax, precision),
    totalAmountIncludingTax: gross,
    remainingAmount: gross,
  })
}

/** Posts a draft sales invoice: BC's checks, then status Open and the posted number. */
export function postSalesInvoice(state: SandboxState, company: Company, header: Entity): void {
  if (header.data.status !== 'Draft')
    throw dialog('The invoice has been posted and can no longer be modified.')
  const { allowPostingFrom, allowPostingTo } = state.settings
  const postingDate = String(header.data.postingDate)
  if (
    (allowPostingFrom && postingDate < allowPostingFrom) ||
    (allowPostingTo && postingDate > allowPostingTo)
  )
    throw dialog('Posting Date is not within your range of allowed posting dates.')
  const lines = [...company.tables.salesInvoiceLines!.lookup('documentId', header.id)].map(
    (id) => company.tables.salesInvoiceLines!.get(id)!.data,
  )
  if (!lines.some((l) => l.lineType !== 'Comment' && Number(l.quantity) !== 0))
    throw dialog('There is nothing to post.')
  company.tables.salesInvoices!.update(header, {
    // A hand-entered number survives posting (the Work 365 set-up posts with the same series).
    number: header.extra.manualNumber ? header.data.number : nextNumber(company, 'PSI-', 100000),
    status: 'Open',
  })
  touch(state, company, 'salesInvoices', header)
}

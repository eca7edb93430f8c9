/** Vendor payment journal lines: created under a journal, vendor and applied invoice resolved. */
import { randomUUID } from 'node:crypto'
import { dialog } from '../protocol/bc-http-error.ts'
import { validatePayload } from '../protocol/validate-payload.ts'
import { type Company, nextNumber, type SandboxState, stamp, today, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { blankRecord } from './blank-record.ts'
import { findVendor } from './vendors.ts'

/** Creates a payment line in `journal`; an applied invoice must be posted. */
export function createPayment(state: SandboxState, company: Company, journal: Entity, body: unknown): Entity {
  const { fields } = validatePayload('vendorPayments', body)
  const vendor = findVendor(company, fields)
  const payments = company.tables.vendorPayments!
  const existing = [...payments.lookup('journalId', journal.id)].map((id) =>
    Number(payments.get(id)!.data.lineNumber),
  )
  if (fields.appliesToInvoiceId || fields.appliesToInvoiceNumber) {
    const invoices = company.tables.purchaseInvoices!
    const invoice = fields.appliesToInvoiceId
      ? invoices.get(String(fields.appliesToInvoiceId))
      : invoices.get([...invoices.lookup('number', fields.appliesToInvoiceNumber)][0] ?? '')
    if (!invoice || invoice.data.status === 'Draft')
      throw dialog('The invoice you want to apply the payment to must be posted.')
    fields.appliesToInvoiceId = invoice.id
    fields.appliesToInvoiceNumber = invoice.data.number
  }
  const data = blankRecord('vendorPayments', {
    postingDate: today(state),
    documentNumber: nextNumber(company, 'PMT-', 10000),
    ...fields,
    journalId: journal.id,
    journalDisplayName: journal.data.code,
    lineNumber: fields.lineNumber ?? Math.max(0, ...existing) + 10000,
    vendorId: vendor.id,
    vendorNumber: vendor.data.number,
    lastModifiedDateTime: stamp(state),
  })
  const entity = payments.insert(randomUUID(), data)
  touch(state, company, 'vendorPayments', entity, 'created')
  return entity
}

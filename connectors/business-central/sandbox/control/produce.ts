/**
 * Activity for the demo: new posted purchase invoices (VND and USD, with dimensions), now and then a
 * vendor edited in BC, and older open invoices paid so payment flows have work.
 */
import { demoCompany } from '../../../../core/demo/demo-company.ts'
import { invoiceKind } from '../rules/document-kinds.ts'
import { postDocument } from '../rules/posting.ts'
import { createDocument } from '../rules/purchase-documents.ts'
import { type Company, type SandboxState, today, touch } from '../state/sandbox-state.ts'
import { demoInvoiceBody, payInvoice } from './seed.ts'

let produced = 1000

/** Creates `count` posted invoices and some vendor edits and payments in `company`. */
export function produce(state: SandboxState, company: Company, count: number): void {
  const active = demoCompany.vendors.filter((v) => !v.blocked)
  for (let i = 0; i < count; i++) {
    produced += 1
    const vendor = active[produced % active.length]!
    const body = demoInvoiceBody(vendor.code, vendor.currency === 'USD', produced, today(state))
    const invoice = createDocument(state, company, invoiceKind, body)
    postDocument(state, company, invoiceKind, invoice)
    if (produced % 5 === 0) {
      const [id] = company.tables.vendors!.lookup('number', vendor.code)
      const entity = id ? company.tables.vendors!.get(id) : undefined
      if (entity) {
        company.tables.vendors!.update(entity, {
          phoneNumber: `+84 28 ${String(produced).padStart(4, '0')} 0000`,
        })
        touch(state, company, 'vendors', entity)
      }
    }
    if (produced % 3 === 0) {
      const candidate = company.tables.purchaseInvoices!.all().find((e) => e.data.status === 'Open')
      if (candidate) payInvoice(state, company, candidate.id)
    }
  }
}

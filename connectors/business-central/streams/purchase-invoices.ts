/** Purchase invoices: deep insert, find by vendor + vendorInvoiceNumber, post. */
import { documentStream } from './document-stream.ts'

/** The purchaseInvoices stream. */
export const purchaseInvoices = documentStream({
  entitySet: 'purchaseInvoices',
  lines: 'purchaseInvoiceLines',
  documentNumber: 'vendorInvoiceNumber',
  description:
    'Purchase invoices, drafts and posted, with purchaseInvoiceLines and dimensionSetLines. Create by deep insert, then post.',
})

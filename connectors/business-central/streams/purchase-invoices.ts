/** Purchase invoices: deep insert, find by vendor + vendorInvoiceNumber, post. */
import { purchaseDocumentStream } from './purchase-document-stream.ts'

/** The purchaseInvoices stream. */
export const purchaseInvoices = purchaseDocumentStream({
  entitySet: 'purchaseInvoices',
  lines: 'purchaseInvoiceLines',
  documentNumber: 'vendorInvoiceNumber',
  description:
    'Purchase invoices, drafts and posted, with purchaseInvoiceLines and dimensionSetLines. Create by deep insert, then post.',
})

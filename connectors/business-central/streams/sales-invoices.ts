/**
 * Sales invoices: deep insert with salesInvoiceLines, find by customer + externalDocumentNumber
 * (the source system's invoice number), post. A record may carry `number` to use the source's
 * invoice number as BC's, which BC allows only with Manual Nos. on the sales invoice number series.
 */
import { documentStream } from './document-stream.ts'

/** The salesInvoices stream. */
export const salesInvoices = documentStream({
  entitySet: 'salesInvoices',
  lines: 'salesInvoiceLines',
  documentNumber: 'externalDocumentNumber',
  partyNumber: 'customerNumber',
  reconcile: false,
  description:
    'Sales invoices, drafts and posted, with salesInvoiceLines and dimensionSetLines. Create by deep insert, then post.',
})

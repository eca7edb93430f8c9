/** The purchase document kinds the emulator posts: invoices and credit memos. */

/** What differs between purchase document kinds. */
export interface DocumentKind {
  entitySet: 'purchaseInvoices' | 'purchaseCreditMemos'
  lines: 'purchaseInvoiceLines' | 'purchaseCreditMemoLines'
  /** The caption BC uses in messages. */
  caption: 'Purchase Invoice' | 'Purchase Credit Memo'
  /** Short noun for "the invoice has been posted". */
  noun: 'invoice' | 'credit memo'
  vendorDocumentField: 'vendorInvoiceNumber' | 'vendorCreditMemoNumber'
  documentDateField: 'invoiceDate' | 'creditMemoDate'
  draftPrefix: string
  postedPrefix: string
  /** G/L document type of the posted entries. */
  documentType: 'Invoice' | 'Credit_x0020_Memo'
  /** +1 for invoices (expense debit), −1 for credit memos. */
  sign: 1 | -1
}

export const invoiceKind: DocumentKind = {
  entitySet: 'purchaseInvoices',
  lines: 'purchaseInvoiceLines',
  caption: 'Purchase Invoice',
  noun: 'invoice',
  vendorDocumentField: 'vendorInvoiceNumber',
  documentDateField: 'invoiceDate',
  draftPrefix: 'PI-',
  postedPrefix: 'PPI-',
  documentType: 'Invoice',
  sign: 1,
}

export const creditMemoKind: DocumentKind = {
  entitySet: 'purchaseCreditMemos',
  lines: 'purchaseCreditMemoLines',
  caption: 'Purchase Credit Memo',
  noun: 'credit memo',
  vendorDocumentField: 'vendorCreditMemoNumber',
  documentDateField: 'creditMemoDate',
  draftPrefix: 'PCM-',
  postedPrefix: 'PPCM-',
  documentType: 'Credit_x0020_Memo',
  sign: -1,
}

/** The kind stored in `entitySet`, if it is a purchase document set. */
export function kindOf(entitySet: string): DocumentKind | undefined {
  if (entitySet === 'purchaseInvoices') return invoiceKind
  if (entitySet === 'purchaseCreditMemos') return creditMemoKind
  return undefined
}

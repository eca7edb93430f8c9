/** Purchase credit memos: deep insert, find by vendor + vendorCreditMemoNumber, post. */
import { documentStream } from './document-stream.ts'

/** The purchaseCreditMemos stream. Not subscribable in BC: read it by polling. */
export const purchaseCreditMemos = documentStream({
  entitySet: 'purchaseCreditMemos',
  lines: 'purchaseCreditMemoLines',
  documentNumber: 'vendorCreditMemoNumber',
  description: 'Purchase credit memos with purchaseCreditMemoLines. Create by deep insert, then post.',
})

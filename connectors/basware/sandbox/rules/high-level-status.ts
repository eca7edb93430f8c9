/**
 * The high-level invoice status the status lookup (`GET /v1/accountingDocuments/status`) reports,
 * derived from the API processing status. Basware publishes the four values and their meaning, not
 * the mapping; the README lists this reading as a guess.
 */

/** A status of AccountingDocumentsStatusResponseEntity. */
export type HighLevelStatus = 'InApprovalProcess' | 'ReadyForPayment' | 'Paid' | 'Rejected'

/** Processing statuses after a successful transfer to the ERP. */
const READY_FOR_PAYMENT = new Set([
  'Transferred',
  'WaitingToBeCompleted',
  'CompletionInProgress',
  'Completed',
  'CompletionFailed',
])

/** Processing statuses of an invoice P2P rejected: removed, returned, or its prebooking cancelled. */
const REJECTED = new Set([
  'WaitingToBeRemoved',
  'Removed',
  'RemoveFailed',
  'WaitingToBeReturned',
  'Returned',
  'ReturnFailed',
  'WaitingForPrebookCancelation',
  'PrebookCancelationInProgress',
  'PrebookCanceled',
  'PrebookCancelFailed',
])

/** "InApprovalProcess … includes all invoice statuses before successful transfer to ERP." */
export function highLevelStatus(processingStatus: string): HighLevelStatus {
  if (processingStatus === 'Paid') return 'Paid'
  if (READY_FOR_PAYMENT.has(processingStatus)) return 'ReadyForPayment'
  if (REJECTED.has(processingStatus)) return 'Rejected'
  return 'InApprovalProcess'
}

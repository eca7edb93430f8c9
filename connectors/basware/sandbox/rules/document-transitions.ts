/**
 * The accounting document's `processingStatus` state machine, as a table. A status missing from an
 * event's row means the event is not allowed in that status (acknowledge answers 405, a response 400).
 * Rows follow Basware's status names; the exact diagram is not public, so the README lists the guesses.
 */
import { baswareDefs } from '../../schemas.ts'

/** Something that moves a document between processing statuses. */
export type DocumentEvent =
  | 'acknowledge'
  | 'transferSucceeded'
  | 'transferFailed'
  | 'prebookSucceeded'
  | 'prebookFailed'
  | 'enrichmentSucceeded'
  | 'enrichmentFailed'
  | 'paid'
  | 'retransfer'

/** Allowed transitions: event → current status → next status. */
export const documentTransitions: Record<DocumentEvent, Readonly<Record<string, string>>> = {
  acknowledge: {
    WaitingForTransfer: 'TransferInProgress',
    WaitingForPrebook: 'PrebookInProgress',
    WaitingForEnrichmentTransfer: 'EnrichmentTransferInProgress',
    WaitingForPrebookCancelation: 'PrebookCancelationInProgress',
    WaitingToBeCompleted: 'CompletionInProgress',
  },
  transferSucceeded: {
    WaitingForTransfer: 'Transferred',
    TransferInProgress: 'Transferred',
    TransferFailed: 'Transferred',
  },
  transferFailed: {
    WaitingForTransfer: 'TransferFailed',
    TransferInProgress: 'TransferFailed',
    TransferFailed: 'TransferFailed',
  },
  prebookSucceeded: {
    WaitingForPrebook: 'Prebooked',
    PrebookInProgress: 'Prebooked',
    PrebookFailed: 'Prebooked',
  },
  prebookFailed: { WaitingForPrebook: 'PrebookFailed', PrebookInProgress: 'PrebookFailed' },
  enrichmentSucceeded: {
    WaitingForEnrichmentTransfer: 'EnrichmentTransferred',
    EnrichmentTransferInProgress: 'EnrichmentTransferred',
    EnrichmentTransferFailed: 'EnrichmentTransferred',
  },
  enrichmentFailed: {
    WaitingForEnrichmentTransfer: 'EnrichmentTransferFailed',
    EnrichmentTransferInProgress: 'EnrichmentTransferFailed',
  },
  paid: { Transferred: 'Paid' },
  // P2P sends a document back to the ERP after a user fixes it (or an admin re-sends it).
  retransfer: {
    TransferInProgress: 'WaitingForTransfer',
    TransferFailed: 'WaitingForTransfer',
    Transferred: 'WaitingForTransfer',
    Prebooked: 'WaitingForTransfer',
    PrebookFailed: 'WaitingForPrebook',
    EnrichmentTransferFailed: 'WaitingForEnrichmentTransfer',
  },
}

/** The status after `event`, or undefined when the event is not allowed in `status`. */
export function nextStatus(event: DocumentEvent, status: string): string | undefined {
  return documentTransitions[event][status]
}

/** Every processingStatus value the OpenAPI document allows. */
export const documentStatuses: readonly string[] = (
  baswareDefs.AccountingDocumentEntity as { properties: { processingStatus: { enum: string[] } } }
).properties.processingStatus.enum

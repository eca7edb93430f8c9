/**
 * "Cancel" on a posted purchase invoice, as a BC user does it on the Posted Purchase Invoice page (API
 * v2.0 has no such action for purchase invoices): BC creates a corrective credit memo with the same
 * lines, posts it, and shows the invoice as `Canceled` and the credit memo as `Corrective`. A paid
 * invoice cannot be cancelled ("fully or partially applied"). The sandbox's control API exposes it so
 * tests can reverse an invoice behind an integration's back.
 */
import { dialog } from '../protocol/bc-http-error.ts'
import { type Company, type SandboxState, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { dimensionCodes } from './dimension-set.ts'
import { creditMemoKind, invoiceKind } from './document-kinds.ts'
import { postDocument } from './posting.ts'
import { createDocument } from './purchase-documents.ts'

const asCodes = (company: Company, dims: Record<string, string> | undefined) =>
  dimensionCodes(company, dims ?? {}).map((d) => ({ code: d.dimension, valueCode: d.value }))

/** Cancels a posted invoice with a posted corrective credit memo; returns the credit memo. */
export function cancelPostedInvoice(
  state: SandboxState,
  company: Company,
  invoice: Entity,
  options: { postingDate?: string } = {},
): Entity {
  const h = invoice.data
  if (h.status === 'Paid')
    throw dialog(
      `You cannot cancel this posted purchase invoice because it is fully or partially applied. Posted Purchase Invoice ${h.number}.`,
    )
  if (h.status !== 'Open') throw dialog(`Posted Purchase Invoice ${h.number} has already been cancelled.`)
  const lines = [...company.tables[invoiceKind.lines]!.lookup('documentId', invoice.id)]
    .map((id) => company.tables[invoiceKind.lines]!.get(id)!)
    .filter((l) => l.data.lineType !== 'Comment')
  const memo = createDocument(state, company, creditMemoKind, {
    vendorNumber: h.vendorNumber,
    vendorCreditMemoNumber: h.vendorInvoiceNumber,
    creditMemoDate: options.postingDate ?? h.postingDate,
    postingDate: options.postingDate ?? h.postingDate,
    currencyCode: h.currencyCode,
    purchaseCreditMemoLines: lines.map((l) => ({
      lineType: 'Account',
      lineObjectNumber: l.data.lineObjectNumber,
      description: l.data.description,
      quantity: l.data.quantity,
      unitCost: l.data.unitCost,
      taxCode: l.data.taxCode,
      dimensionSetLines: asCodes(company, l.extra.dims as Record<string, string> | undefined),
    })),
  })
  company.tables[creditMemoKind.entitySet]!.update(memo, { invoiceId: invoice.id, invoiceNumber: h.number })
  postDocument(state, company, creditMemoKind, memo)
  company.tables[creditMemoKind.entitySet]!.update(memo, { status: 'Corrective' })
  company.tables[invoiceKind.entitySet]!.update(invoice, { status: 'Canceled' })
  invoice.extra.remaining = 0
  touch(state, company, creditMemoKind.entitySet, memo)
  touch(state, company, invoiceKind.entitySet, invoice)
  return memo
}

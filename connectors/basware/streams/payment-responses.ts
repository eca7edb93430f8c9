/**
 * Payment responses as a target stream, for flows whose source is the ERP (an invoice paid in BC)
 * rather than a Basware invoice: each record names the Basware `invoiceId` it answers and carries
 * the full payment state. The POST and its idempotency are the `paymentResponse` acknowledge's.
 */
import type { JsonSchema, Stream } from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { acknowledge } from '../acknowledge.ts'
import type { Config } from '../config.ts'
import { externalCodeFor } from '../external-code.ts'
import { accountingDocuments } from './accounting-documents.ts'
import { paymentResponseReconcile } from './payment-response-reconcile.ts'

const acknowledgePayment = acknowledge.paymentResponse!

function recordSchema(): JsonSchema {
  const payload = acknowledgePayment.schema as { properties: Record<string, JsonSchema> }
  return {
    ...payload,
    properties: {
      invoiceId: {
        type: 'string',
        minLength: 1,
        maxLength: 36,
        description: 'The Basware invoice the payment answers (P2P invoiceId).',
      },
      ...payload.properties,
    },
    required: ['invoiceId'],
  }
}

/**
 * The `paymentResponses` stream: `create` POSTs `/v1/accountingDocuments/{invoiceId}/paymentResponses`.
 * Its `externalCode` comes from the idempotency key, so a retried write of one record version is
 * recognised by Basware (409 `CONFLICT_IN_POST`) and counts as done, never as a second response.
 * Basware clears what a response leaves out, so map the whole payment state (cumulative `paidTotal`).
 */
export const paymentResponses: Stream<Config> = {
  description:
    'Payment responses for transferred invoices (record: invoiceId + PaymentResponseEntity without externalCode).',
  schema: recordSchema(),
  operations: ['create'],
  async write(ctx, req) {
    const { invoiceId, ...payload } = req.record
    if (typeof invoiceId !== 'string' || !invoiceId)
      throw new ConnectorError('rejected', 'A payment response needs the Basware invoiceId it answers.', {
        field: '/invoiceId',
      })
    if (req.operation !== 'create')
      throw new ConnectorError('config', `paymentResponses supports create only, not ${req.operation}.`)
    const { calls } = await acknowledgePayment.send(ctx, {
      record: { invoiceId },
      payload,
      idempotencyKey: req.idempotencyKey,
    })
    return {
      status: 'done',
      id: externalCodeFor(req.idempotencyKey, 'paymentResponses'),
      record: { invoiceId, ...payload },
      calls,
    }
  },
  reconcile: paymentResponseReconcile(accountingDocuments.read!),
}

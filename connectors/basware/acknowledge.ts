/**
 * Tells Basware what the ERP did with an invoice: `transferResponse` (booked, with voucher numbers, or
 * refused, with the ERP's message) and `paymentResponse` (cumulative `paidTotal`; fields left out are
 * cleared on the invoice, so the mapping must send the full payment state every time). Prebook and
 * enrichment responses are the equivalents for those processing modes.
 */
import type { AcknowledgeOperation, ConnectorContext, JsonSchema } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import { callApi } from './call-api.ts'
import { type Config, configSecrets } from './config.ts'
import { externalCodeFor, truncateText } from './external-code.ts'
import { baswareDefs } from './schemas.ts'

const MESSAGE_MAX = 250

type Payload = Record<string, unknown>

/** The payload schema a manifest's `acknowledge.map` must produce: the entity without `externalCode`. */
function payloadSchema(
  name:
    | 'TransferResponseEntity'
    | 'PaymentResponseEntity'
    | 'PrebookResponseEntity'
    | 'EnrichmentResponseEntity',
): JsonSchema {
  const def = baswareDefs[name] as { properties: Record<string, JsonSchema>; required?: string[] }
  const { externalCode: _derived, ...properties } = def.properties
  // Long ERP messages are truncated rather than refused; a missing message or payment block gets a default.
  const { maxLength: _max, ...message } = (properties.responseMessage ?? {}) as Record<string, unknown>
  return {
    type: 'object',
    properties: { ...properties, responseMessage: message },
    required: ['success'],
    additionalProperties: false,
    $defs: baswareDefs,
  }
}

function cleanMessage(ctx: ConnectorContext<Config>, value: unknown, fallback: string): string {
  const text = typeof value === 'string' && value.trim() ? value.trim() : fallback
  return truncateText(redactSecrets(text, configSecrets(ctx.config)), MESSAGE_MAX)
}

interface ResponseOperation {
  description: string
  path: string
  schema: Parameters<typeof payloadSchema>[0]
  /** Builds the body Basware expects from the mapped payload. */
  body(ctx: ConnectorContext<Config>, payload: Payload, externalCode: string): Payload
}

function operation(op: ResponseOperation): AcknowledgeOperation<Config> {
  return {
    description: op.description,
    schema: payloadSchema(op.schema),
    async send(ctx, { record, payload, idempotencyKey }) {
      const invoiceId = record.invoiceId
      if (typeof invoiceId !== 'string' || !invoiceId) {
        throw new ConnectorError('rejected', `${op.description}: the source record has no invoiceId.`)
      }
      const externalCode = externalCodeFor(idempotencyKey, op.path)
      const path = `/v1/accountingDocuments/${encodeURIComponent(invoiceId)}/${op.path}`
      try {
        const res = await callApi(ctx, {
          method: 'POST',
          path,
          body: op.body(ctx, payload, externalCode),
        })
        return { calls: [res.summary] }
      } catch (e) {
        // A retry of a response Basware already stored: the first attempt got through.
        if (
          isConnectorError(e) &&
          e.remoteCode === 'CONFLICT_IN_POST' &&
          (e.remoteMessage ?? '').includes(externalCode)
        ) {
          ctx.log.info('basware already had this response', { invoiceId, externalCode })
          return { calls: [{ method: 'POST', url: path, status: e.status }] }
        }
        throw e
      }
    },
  }
}

const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback)

function outcomeBody(
  ctx: ConnectorContext<Config>,
  payload: Payload,
  externalCode: string,
  done: string,
  failed: string,
): Payload {
  const success = flag(payload.success, true)
  return {
    ...payload,
    externalCode,
    success,
    responseMessage: cleanMessage(ctx, payload.responseMessage, success ? done : failed),
    paymentBlock: flag(payload.paymentBlock, false),
  }
}

/** The acknowledge operations of the Basware connector. */
export const acknowledge: Record<string, AcknowledgeOperation<Config>> = {
  transferResponse: operation({
    description:
      'Basware transfer response: booked in the ERP (with voucher numbers) or refused (with the ERP message)',
    path: 'transferResponses',
    schema: 'TransferResponseEntity',
    body: (ctx, payload, code) =>
      outcomeBody(ctx, payload, code, 'Invoice transferred to the ERP.', 'The ERP refused the invoice.'),
  }),
  paymentResponse: operation({
    description: 'Basware payment response: cumulative paidTotal; omitted fields are cleared on the invoice',
    path: 'paymentResponses',
    schema: 'PaymentResponseEntity',
    body: (ctx, payload, externalCode) => {
      const body: Payload = {
        ...payload,
        externalCode,
        success: flag(payload.success, true),
        paymentBlock: flag(payload.paymentBlock, false),
      }
      if (typeof payload.responseMessage === 'string')
        body.responseMessage = cleanMessage(ctx, payload.responseMessage, '')
      return body
    },
  }),
  prebookResponse: operation({
    description: 'Basware prebook response (prebook processing mode)',
    path: 'prebookResponses',
    schema: 'PrebookResponseEntity',
    body: (ctx, payload, code) =>
      outcomeBody(
        ctx,
        payload,
        code,
        'Invoice prebooked in the ERP.',
        'The ERP refused to prebook the invoice.',
      ),
  }),
  enrichmentResponse: operation({
    description: 'Basware enrichment response (InvoiceEnrichment processing mode)',
    path: 'enrichmentResponses',
    schema: 'EnrichmentResponseEntity',
    body: (ctx, payload, code) => {
      const { paymentBlock: _none, ...body } = outcomeBody(
        ctx,
        payload,
        code,
        'Enrichment received by the ERP.',
        'The ERP refused the enrichment.',
      )
      return body
    },
  }),
}

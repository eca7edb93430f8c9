/**
 * What the ERP sends back about an invoice: `acknowledge` (claims it; 405 the second time) and the
 * transfer, prebook, enrichment and payment responses, validated field by field against Basware's
 * schemas, kept on the invoice (latest 100) and logged in requestStatus.
 */
import { Hono } from 'hono'
import type { BaswareSchemaName } from '../../schemas.ts'
import type { DocumentEvent } from '../rules/document-transitions.ts'
import { isoNow, type SandboxCore } from '../state/sandbox-core.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'
import { validateEntity } from './validate-entity.ts'

interface ResponseKind {
  schema: BaswareSchemaName
  entityType: string
  /** State-machine events on success / failure; absent for payments, which do not move the status. */
  events?: { success: DocumentEvent; failure: DocumentEvent }
  /** Status answered when the invoice is already past this step. */
  refusedStatus: number
}

const responseKinds: Record<string, ResponseKind> = {
  transferResponses: {
    schema: 'TransferResponseEntity',
    entityType: 'TransferResponse',
    events: { success: 'transferSucceeded', failure: 'transferFailed' },
    refusedStatus: 400,
  },
  prebookResponses: {
    schema: 'PrebookResponseEntity',
    entityType: 'PrebookResponse',
    events: { success: 'prebookSucceeded', failure: 'prebookFailed' },
    refusedStatus: 409,
  },
  enrichmentResponses: {
    schema: 'EnrichmentResponseEntity',
    entityType: 'EnrichmentTransferResponse',
    events: { success: 'enrichmentSucceeded', failure: 'enrichmentFailed' },
    refusedStatus: 400,
  },
  paymentResponses: { schema: 'PaymentResponseEntity', entityType: 'PaymentResponse', refusedStatus: 409 },
}

const KEPT_RESPONSES = 100
const PAYABLE = new Set(['Transferred', 'Paid'])

const unknownInvoice = (invoiceId: string) =>
  errorResponse(404, [
    {
      type: 'BUSINESS',
      code: 'ENTITY_NOT_FOUND',
      message: `Accounting document '${invoiceId}' was not found`,
    },
  ])

/** Routes that change an accounting document. */
export function documentResponseRoutes(core: SandboxCore): Hono {
  const app = new Hono()

  app.post('/v1/accountingDocuments/:invoiceId/acknowledge', (c) => {
    const invoiceId = c.req.param('invoiceId')
    const stored = core.documents.get(invoiceId)
    if (!stored) return unknownInvoice(invoiceId)
    const to = core.documents.apply(invoiceId, 'acknowledge', isoNow(core))
    if (!to) {
      return errorResponse(405, [
        {
          type: 'BUSINESS',
          code: 'METHOD_NOT_ALLOWED',
          message: `Accounting document '${invoiceId}' is ${stored.document.processingStatus} and cannot be acknowledged again`,
        },
      ])
    }
    return jsonResponse(200, `Accounting document ${invoiceId} acknowledged`)
  })

  app.post('/v1/accountingDocuments/:invoiceId/:kind', async (c) => {
    const kind = responseKinds[c.req.param('kind')]
    if (!kind) return c.notFound()
    const arrayName = c.req.param('kind')
    const invoiceId = c.req.param('invoiceId')
    const stored = core.documents.get(invoiceId)
    if (!stored) return unknownInvoice(invoiceId)
    const body = await c.req.json().catch(() => undefined)
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return errorResponse(400, [
        { type: 'VALIDATION', code: 'SCHEMA_VALIDATION_ERROR', message: 'The body must be one JSON object' },
      ])
    }
    const response = body as Record<string, unknown> & { externalCode: string; success: boolean }
    const schemaErrors = validateEntity(
      kind.schema,
      response,
      typeof response.externalCode === 'string' ? response.externalCode : null,
    )
    if (schemaErrors.length) return errorResponse(400, schemaErrors)

    const doc = stored.document
    const kept = (Array.isArray(doc[arrayName]) ? doc[arrayName] : []) as Record<string, unknown>[]
    const reused = kept.find((r) => r.externalCode === response.externalCode)
    if (reused) {
      if (!kind.events) {
        return errorResponse(409, [
          {
            externalCode: response.externalCode,
            type: 'BUSINESS',
            code: 'CONFLICT_IN_POST',
            message: 'A payment response with this externalCode was already received; use a new externalCode',
          },
        ])
      }
      if (core.settings.reusedResponseCode === 'reject') {
        return errorResponse(400, [
          {
            externalCode: response.externalCode,
            type: 'BUSINESS',
            code: 'CONFLICT_IN_POST',
            message: 'A response with this externalCode was already received for this invoice',
          },
        ])
      }
      return jsonResponse(200, reused)
    }

    const at = isoNow(core)
    const from = doc.processingStatus
    if (kind.events) {
      const event = response.success ? kind.events.success : kind.events.failure
      if (
        !core.documents.apply(invoiceId, event, at, {
          externalCode: response.externalCode,
          success: response.success,
        })
      ) {
        return errorResponse(kind.refusedStatus, [
          {
            externalCode: response.externalCode,
            type: 'BUSINESS',
            code: 'DATA_VALIDATION_FAILED',
            message: `Accounting document '${invoiceId}' is ${from}; a ${kind.entityType} is not accepted`,
          },
        ])
      }
      if (response.success) {
        for (const field of ['voucherNumber1', 'voucherNumber2'] as const)
          if (response[field] != null) doc[field] = response[field]
        if (typeof response.paymentBlock === 'boolean') doc.paymentBlock = response.paymentBlock
      }
    } else {
      if (!PAYABLE.has(from)) {
        return errorResponse(400, [
          {
            externalCode: response.externalCode,
            type: 'BUSINESS',
            code: 'DATA_VALIDATION_FAILED',
            message: `Accounting document '${invoiceId}' is ${from}; payment responses need a transferred invoice`,
          },
        ])
      }
      stored.history.push({
        at,
        action: 'paymentResponse',
        from,
        to: from,
        externalCode: response.externalCode,
        success: response.success,
      })
      if (response.success) {
        // Omitted fields clear: the payment state is exactly the latest response.
        stored.payment = { ...response }
        const paid = typeof response.paidTotal === 'number' ? response.paidTotal : 0
        if (paid >= Number(doc.grossSum ?? Number.POSITIVE_INFINITY))
          core.documents.apply(invoiceId, 'paid', at)
      }
    }
    doc[arrayName] = [...kept, response].slice(-KEPT_RESPONSES)
    const logged = core.requests.add(kind.entityType, [
      { externalCode: response.externalCode, parentExternalCode: invoiceId, status: 'Success', errors: [] },
    ])
    return jsonResponse(200, response, { 'x-amzn-RequestId': logged.requestId })
  })

  return app
}

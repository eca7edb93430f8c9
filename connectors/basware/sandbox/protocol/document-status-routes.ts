/**
 * `GET /v1/accountingDocuments/status`: the invoice status lookup by company, invoice number and
 * invoice date (all three required), optionally gross sum; a bare JSON array of
 * `{invoiceId, status, processingStatus, disputeInfo, lastUpdated}`, at most `pageSize` (1–500,
 * default 500) and no paging; 404 when nothing matches, or while the tenant switch is off.
 */
import { Hono } from 'hono'
import { highLevelStatus } from '../rules/high-level-status.ts'
import type { SandboxCore } from '../state/sandbox-core.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'

const parameterError = (message: string) =>
  errorResponse(400, [{ type: 'VALIDATION', code: 'PARAMETER_VALIDATION_ERROR', message }])

/** The calendar day of a `date` or `date-time` parameter, or undefined when it is neither. */
function dayOf(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value)
  return match && !Number.isNaN(Date.parse(value)) ? match[1] : undefined
}

/** Route of the invoice status lookup; mounted before `/v1/accountingDocuments/{invoiceId}`. */
export function documentStatusRoutes(core: SandboxCore): Hono {
  const app = new Hono()
  app.get('/v1/accountingDocuments/status', (c) => {
    const { companyCode, invoiceNumber, invoiceDate, grossSum, pageSize } = c.req.query()
    for (const [name, value] of Object.entries({ companyCode, invoiceNumber, invoiceDate })) {
      if (!value) return parameterError(`The ${name} parameter is required`)
    }
    const day = dayOf(invoiceDate!)
    if (!day) return parameterError(`invoiceDate '${invoiceDate}' is not a date-time`)
    const sum = grossSum === undefined ? undefined : Number(grossSum)
    if (sum !== undefined && (grossSum === '' || !Number.isFinite(sum)))
      return parameterError(`grossSum '${grossSum}' is not a number`)
    const limit = pageSize === undefined ? 500 : Number(pageSize)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      return parameterError('pageSize must be an integer from 1 to 500')
    if (!core.settings.statusLookupEnabled)
      return errorResponse(404, [
        { type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message: 'No invoices match' },
      ])

    const found = core.documents
      .all()
      .filter(
        (d) =>
          d.companyCode === companyCode &&
          d.invoiceNumber === invoiceNumber &&
          typeof d.invoiceDate === 'string' &&
          d.invoiceDate.slice(0, 10) === day &&
          (sum === undefined || Math.abs(Number(d.grossSum) - sum) < 0.005),
      )
      .slice(0, limit)
      .map((d) => ({
        invoiceId: d.invoiceId,
        status: highLevelStatus(d.processingStatus),
        processingStatus: d.processingStatus,
        ...(d.disputeInfo === undefined ? {} : { disputeInfo: d.disputeInfo }),
        lastUpdated: d.lastUpdated,
      }))
    if (!found.length)
      return errorResponse(404, [
        { type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message: 'No invoices match' },
      ])
    return jsonResponse(200, found)
  })
  return app
}

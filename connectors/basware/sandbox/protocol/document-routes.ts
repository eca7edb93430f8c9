/**
 * `GET /v1/accountingDocuments[/{invoiceId}]`: answered with a 302 to a pre-signed download URL, the
 * list paged by the continuation header, `404` when nothing matches. The download route itself is
 * `GET /__s3/…`, which refuses requests that still carry an Authorization header.
 */
import { Hono } from 'hono'
import { documentStatuses } from '../rules/document-transitions.ts'
import type { DocumentQuery } from '../state/document-store.ts'
import type { SandboxCore } from '../state/sandbox-core.ts'
import { queryKey } from './continuation-tokens.ts'
import { s3Error } from './export-objects.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'

const parameterError = (message: string) =>
  errorResponse(400, [{ type: 'VALIDATION', code: 'PARAMETER_VALIDATION_ERROR', message }])

const notFound = (message: string) =>
  errorResponse(404, [{ type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message }])

function param(url: URL, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v
  return undefined
}

function redirectTo(core: SandboxCore, ids: readonly string[], continuationToken?: string): Response {
  const { key, query } = core.exports.put(ids, continuationToken)
  return new Response(null, { status: 302, headers: { location: `${core.baseUrl}/__s3/${key}?${query}` } })
}

function parseQuery(url: URL): DocumentQuery | Response {
  const processingStatus = param(url, 'ProcessingStatus')
  if (processingStatus !== undefined && !documentStatuses.includes(processingStatus)) {
    return parameterError(`ProcessingStatus '${processingStatus}' is not a valid value`)
  }
  const mode = param(url, 'p2pProcessingMode') ?? 'Standard'
  if (mode !== 'Standard' && mode !== 'InvoiceEnrichment') {
    return parameterError(`p2pProcessingMode '${mode}' is not a valid value`)
  }
  const lastUpdated = param(url, 'lastUpdated')
  if (lastUpdated !== undefined && Number.isNaN(Date.parse(lastUpdated))) {
    return parameterError(`lastUpdated '${lastUpdated}' is not a date-time`)
  }
  return { processingStatus, companyCode: param(url, 'companyCode'), lastUpdated, p2pProcessingMode: mode }
}

/** Takes the next page from `position`: at most `pageSize` documents and the coding-row budget. */
function takePage(core: SandboxCore, ids: readonly string[], position: number, pageSize: number): number {
  let rows = 0
  let end = position
  while (end < ids.length && end - position < pageSize) {
    const doc = core.documents.get(ids[end]!)?.document
    rows += Array.isArray(doc?.codingRows) ? doc.codingRows.length : 0
    if (end > position && rows > core.settings.codingRowBudget) break
    end++
  }
  return end
}

/** Routes of the accounting document export (reads only). */
export function documentReadRoutes(core: SandboxCore): Hono {
  const app = new Hono()

  app.get('/v1/accountingDocuments', (c) => {
    const url = new URL(c.req.url)
    const query = parseQuery(url)
    if (query instanceof Response) return query
    const pageSizeText = param(url, 'pageSize')
    const pageSize = pageSizeText === undefined ? 100 : Number(pageSizeText)
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return parameterError('pageSize must be an integer from 1 to 100')
    }
    const key = queryKey(url)
    const token = c.req.header('x-amz-meta-continuationtoken')
    let ids: readonly string[] | undefined
    let position = 0
    if (token) {
      const found = core.continuation.lookup(token, key)
      if (found === 'unknown') return parameterError('The continuation token is invalid or has expired')
      if (found === 'mismatch' && core.settings.tokenMismatch === 'reject') {
        return parameterError(
          'The continuation token does not belong to this query; repeat the query of the first page',
        )
      }
      if (typeof found === 'object') ({ ids, position } = found)
    }
    ids ??= core.documents.query(query)
    if (position >= ids.length) return notFound('No accounting documents match the query')
    const end = takePage(core, ids, position, pageSize)
    const next = end < ids.length ? core.continuation.issue(key, ids, end) : undefined
    return redirectTo(core, ids.slice(position, end), next)
  })

  app.get('/v1/accountingDocuments/:invoiceId', (c) => {
    const invoiceId = c.req.param('invoiceId')
    if (!core.documents.get(invoiceId)) return notFound(`Accounting document '${invoiceId}' was not found`)
    return redirectTo(core, [invoiceId])
  })

  app.get('/__s3/*', (c) => {
    if (c.req.header('authorization')) {
      return s3Error(
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      )
    }
    const key = new URL(c.req.url).pathname.split('/__s3/')[1] ?? ''
    const object = core.exports.get(key)
    if (object === 'missing') return s3Error(404, 'NoSuchKey', 'The specified key does not exist.')
    if (object === 'expired') return s3Error(403, 'AccessDenied', 'Request has expired')
    const accountingDocuments = object.ids.flatMap((id) => {
      const stored = core.documents.get(id)
      return stored ? [stored.document] : []
    })
    const headers: Record<string, string> = {}
    if (object.continuationToken) headers['X-amz-meta-continuationToken'] = object.continuationToken
    return jsonResponse(200, { accountingDocuments }, headers)
  })

  return app
}

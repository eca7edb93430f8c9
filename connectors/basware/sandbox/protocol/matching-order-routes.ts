/**
 * Order matching imports: `POST /v1/matchingOrders` (headers, ≤ 500 per request) and
 * `POST /v1/matchingOrderLines` (lines, ≤ 100 per request), each a full overwrite keyed by
 * externalCode, validated against Basware's OrderEntity / OrderLineEntity schemas. The 200 only means
 * the schema passed; each item's outcome (a line whose header was never imported is an Error) shows
 * in requestStatus after the processing delay. GETs list the API-layer copy, paged by header; lines
 * are listed per order (`orderExternalCode` is required).
 */
import { Hono } from 'hono'
import type { BaswareSchemaName } from '../../schemas.ts'
import { orderLineOutcome, orderOutcome } from '../rules/matching-order-outcome.ts'
import type { LoggedItem } from '../rules/request-log.ts'
import { isoNow, type SandboxCore } from '../state/sandbox-core.ts'
import { MAX_BODY_BYTES } from './master-data-apis.ts'
import { recordByExternalCode, recordPage } from './master-record-pages.ts'
import { type ErrorEntity, errorResponse, jsonResponse } from './response-entity-list.ts'
import { validateEntity } from './validate-entity.ts'

interface MatchingApi {
  collection: 'matchingOrders' | 'matchingOrderLines'
  schema: BaswareSchemaName
  entityType: string
  maxRecords: number
  maxPageSize: number
  outcome: (core: SandboxCore, record: Record<string, unknown>) => Pick<LoggedItem, 'status' | 'errors'>
}

const orders: MatchingApi = {
  collection: 'matchingOrders',
  schema: 'OrderEntity',
  entityType: 'MatchingOrder',
  maxRecords: 500,
  maxPageSize: 500,
  outcome: orderOutcome,
}
const lines: MatchingApi = {
  collection: 'matchingOrderLines',
  schema: 'OrderLineEntity',
  entityType: 'MatchingOrderLine',
  maxRecords: 100,
  maxPageSize: 100,
  outcome: orderLineOutcome,
}

const schemaError = (message: string, externalCode: string | null = null): ErrorEntity => ({
  externalCode,
  type: 'VALIDATION',
  code: 'SCHEMA_VALIDATION_ERROR',
  message,
})

async function importRecords(core: SandboxCore, api: MatchingApi, request: Request): Promise<Response> {
  const text = await request.text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return jsonResponse(413, { message: 'Request Too Large' })
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return errorResponse(400, [schemaError('The body is not valid JSON')])
  }
  if (!Array.isArray(body) || body.length === 0)
    return errorResponse(400, [schemaError('The body must be a non-empty JSON array')])
  if (body.length > api.maxRecords)
    return errorResponse(400, [
      schemaError(`At most ${api.maxRecords} records are allowed per request; got ${body.length}`),
    ])
  const errors = body.flatMap((r) =>
    validateEntity(api.schema, r, (r as { externalCode?: string })?.externalCode),
  )
  if (errors.length) return errorResponse(400, errors)

  const at = isoNow(core)
  const items: LoggedItem[] = (body as (Record<string, unknown> & { externalCode: string })[]).map(
    (record) => {
      const changed = core.masterData.put(api.collection, record, at)
      const parentExternalCode = api === lines ? String(record.orderExternalCode) : null
      if (!changed)
        return { externalCode: record.externalCode, parentExternalCode, status: 'NotProcessed', errors: [] }
      return { externalCode: record.externalCode, parentExternalCode, ...api.outcome(core, record) }
    },
  )
  const logged = core.requests.add(api.entityType, items)
  return jsonResponse(200, body, { 'x-amzn-RequestId': logged.requestId })
}

function listRecords(core: SandboxCore, api: MatchingApi, request: Request, token: string | undefined) {
  const url = new URL(request.url)
  const orderExternalCode = url.searchParams.get('orderExternalCode')
  if (api === lines && !orderExternalCode)
    return errorResponse(400, [
      {
        type: 'VALIDATION',
        code: 'PARAMETER_VALIDATION_ERROR',
        message: 'The orderExternalCode query parameter is required',
      },
    ])
  const requested = Number(url.searchParams.get('pageSize') ?? api.maxPageSize) || api.maxPageSize
  const companyCode = url.searchParams.get('companyCode')
  const since = url.searchParams.get('lastUpdated')
  return recordPage(core, {
    collection: api.collection,
    wrapper: api.collection,
    url,
    token,
    pageSize: Math.max(1, Math.min(requested, api.maxPageSize)),
    matches: (r) =>
      (!orderExternalCode || r.orderExternalCode === orderExternalCode) &&
      (!companyCode || r.companyCode === companyCode) &&
      (!since || Date.parse(r.lastUpdated) > Date.parse(since)),
  })
}

/** Routes of the matchingOrders and matchingOrderLines APIs. */
export function matchingOrderRoutes(core: SandboxCore): Hono {
  const app = new Hono()
  for (const api of [orders, lines]) {
    app.post(`/v1/${api.collection}`, (c) => importRecords(core, api, c.req.raw))
    app.get(`/v1/${api.collection}`, (c) =>
      listRecords(core, api, c.req.raw, c.req.header('x-amz-meta-continuationtoken')),
    )
    app.get(`/v1/${api.collection}/:externalCode`, (c) =>
      recordByExternalCode(core, api.collection, c.req.param('externalCode')),
    )
  }
  return app
}

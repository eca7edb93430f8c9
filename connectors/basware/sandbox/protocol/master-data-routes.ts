/**
 * Master-data imports: `POST /v1/<entity>` (and `/v1/lists/{listKey}`) take an array of records keyed
 * by externalCode and fully overwrite what is stored. The 200 answer only means the schema passed; the
 * per-item outcome (Success, Warning, Error, NotProcessed, RecordExpired) is decided here and revealed
 * by requestStatus after the processing delay. `GET` lists the API-layer copy, paged by header.
 */
import { Hono } from 'hono'
import type { LoggedItem } from '../rules/request-log.ts'
import { isoNow, type SandboxCore } from '../state/sandbox-core.ts'
import { isListKey, MAX_BODY_BYTES, type MasterDataApi, masterDataApis } from './master-data-apis.ts'
import { recordByExternalCode, recordPage } from './master-record-pages.ts'
import { type ErrorEntity, errorResponse, jsonResponse } from './response-entity-list.ts'
import { validateEntity } from './validate-entity.ts'

const RECORD_EXPIRY_MS = 1000

/** A posted master-data record. */
export type Posted = Record<string, unknown> & { externalCode: string }

/** Decides what P2P will make of one changed record (its data-validation stage). */
function outcome(
  core: SandboxCore,
  api: MasterDataApi,
  record: Posted,
): Pick<LoggedItem, 'status' | 'errors'> {
  const injected = core.masterData.injectedErrors.get(record.externalCode)
  if (injected)
    return { status: 'Error', errors: [{ type: 'Error', message: injected, category: 'DataValidation' }] }
  if (api.entityType === 'Vendor') {
    const code = (record.paymentTerms as { paymentTermCode?: string } | null | undefined)?.paymentTermCode
    const imported = core.masterData.snapshot('paymentTerms').some((t) => t.paymentTermCode === code)
    if (code && !imported && !core.masterData.knownPaymentTerms.has(code)) {
      return {
        status: 'Error',
        errors: [
          {
            type: 'Error',
            message: `Payment term '${code}' does not exist in P2P; import it before the vendor`,
            category: 'DataValidation',
          },
        ],
      }
    }
  }
  if (api.entityType === 'Account' && typeof record.taxCode === 'string') {
    const imported = core.masterData.snapshot('taxCodes').some((t) => t.taxCode === record.taxCode)
    if (!imported && !core.masterData.knownTaxCodes.has(record.taxCode)) {
      return {
        status: 'Warning',
        errors: [
          {
            type: 'Warning',
            message: `Tax code '${record.taxCode}' was not found; the account was saved without it`,
            category: 'DataValidation',
          },
        ],
      }
    }
  }
  return { status: 'Success', errors: [] }
}

async function importRecords(
  core: SandboxCore,
  api: MasterDataApi,
  collection: string,
  request: Request,
  listKey: string | null,
) {
  const text = await request.text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return jsonResponse(413, { message: 'Request Too Large' })
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return errorResponse(400, [
      { type: 'VALIDATION', code: 'SCHEMA_VALIDATION_ERROR', message: 'The body is not valid JSON' },
    ])
  }
  if (!Array.isArray(body) || body.length === 0) {
    return errorResponse(400, [
      {
        type: 'VALIDATION',
        code: 'SCHEMA_VALIDATION_ERROR',
        message: 'The body must be a non-empty JSON array',
      },
    ])
  }
  if (body.length > api.maxRecords) {
    return errorResponse(400, [
      {
        type: 'VALIDATION',
        code: 'SCHEMA_VALIDATION_ERROR',
        message: `At most ${api.maxRecords} records are allowed per request; got ${body.length}`,
      },
    ])
  }
  const errors: ErrorEntity[] = body.flatMap((r) =>
    validateEntity(api.schema, r, (r as { externalCode?: string })?.externalCode),
  )
  if (errors.length) return errorResponse(400, errors)

  const requestId = acceptRecords(core, api, collection, body as Posted[], listKey)
  return jsonResponse(200, body, { 'x-amzn-RequestId': requestId })
}

/**
 * Stores valid records (full overwrite) and logs them for requestStatus: NotProcessed when equal to
 * the stored version, RecordExpired for an older post within a second, else the validation outcome.
 * Returns the request id.
 */
export function acceptRecords(
  core: SandboxCore,
  api: MasterDataApi,
  collection: string,
  records: readonly Posted[],
  listKey: string | null,
): string {
  const now = core.now().getTime()
  const at = isoNow(core)
  const items: LoggedItem[] = records.map((record) => {
    const changed = core.masterData.put(collection, record, at)
    if (!changed)
      return {
        externalCode: record.externalCode,
        parentExternalCode: null,
        status: 'NotProcessed',
        errors: [],
      }
    return { externalCode: record.externalCode, parentExternalCode: null, ...outcome(core, api, record) }
  })
  const logged = core.requests.add(api.entityType, items, listKey)
  items.forEach((item, index) => {
    if (item.status === 'NotProcessed') return
    const key = `${collection}/${item.externalCode}`
    const previous = core.masterData.lastPost.get(key)
    if (previous && now - previous.at < RECORD_EXPIRY_MS) {
      // A newer version within a second supersedes the older one, which never reaches P2P.
      const older = previous.requestId === logged.requestId ? logged : core.requests.get(previous.requestId)
      const olderItem = older?.items.find(
        (i, j) => i.externalCode === item.externalCode && (older !== logged || j < index),
      )
      if (older && olderItem && core.requests.inProgress(older)) {
        olderItem.status = 'RecordExpired'
        olderItem.errors = [
          {
            type: 'RecordExpired',
            message: 'A newer version of this record was received',
            category: 'Unknown',
          },
        ]
      }
    }
    core.masterData.lastPost.set(key, { requestId: logged.requestId, at: now })
  })
  return logged.requestId
}

function listRecords(
  core: SandboxCore,
  api: MasterDataApi,
  collection: string,
  request: Request,
  token: string | undefined,
) {
  const url = new URL(request.url)
  const companyCode = url.searchParams.get('companyCode')
  const since = url.searchParams.get('lastUpdated')
  return recordPage(core, {
    collection,
    wrapper: api.wrapper,
    url,
    token,
    pageSize: Math.min(Number(url.searchParams.get('pageSize') ?? 500) || 500, 500),
    matches: (r) =>
      (!companyCode ||
        (r.companies as { companyCode: string }[] | undefined)?.some((c) => c.companyCode === companyCode) ===
          true) &&
      (!since || Date.parse(r.lastUpdated) > Date.parse(since)),
  })
}

/** Routes of the master-data import APIs. */
export function masterDataRoutes(core: SandboxCore): Hono {
  const app = new Hono()
  const lists = masterDataApis.lists!
  const badListKey = (key: string) =>
    errorResponse(400, [
      {
        type: 'VALIDATION',
        code: 'PARAMETER_VALIDATION_ERROR',
        message: `listKey '${key}' is not a valid generic list key`,
      },
    ])

  const one = (collection: string, externalCode: string) =>
    recordByExternalCode(core, collection, externalCode)
  app.get('/v1/lists/:listKey/:externalCode', (c) =>
    one(`lists/${c.req.param('listKey')}`, c.req.param('externalCode')),
  )
  app.post('/v1/lists/:listKey', (c) => {
    const listKey = c.req.param('listKey')
    if (!isListKey(listKey)) return badListKey(listKey)
    return importRecords(core, lists, `lists/${listKey}`, c.req.raw, listKey)
  })
  app.get('/v1/lists/:listKey', (c) => {
    const listKey = c.req.param('listKey')
    if (!isListKey(listKey)) return badListKey(listKey)
    return listRecords(
      core,
      lists,
      `lists/${listKey}`,
      c.req.raw,
      c.req.header('x-amz-meta-continuationtoken'),
    )
  })
  for (const [name, api] of Object.entries(masterDataApis)) {
    if (name === 'lists') continue
    app.post(`/v1/${name}`, (c) => importRecords(core, api, name, c.req.raw, null))
    app.get(`/v1/${name}`, (c) =>
      listRecords(core, api, name, c.req.raw, c.req.header('x-amz-meta-continuationtoken')),
    )
    app.get(`/v1/${name}/:externalCode`, (c) => one(name, c.req.param('externalCode')))
  }
  return app
}

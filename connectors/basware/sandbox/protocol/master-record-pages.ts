/**
 * GETs over stored import records, shared by the master-data and order-matching APIs: pages of the
 * records a filter selects, continued with `x-amz-meta-continuationToken` (a 404 past the last page),
 * and one record by `externalCode`.
 */

import type { MasterRecord } from '../state/master-data-store.ts'
import type { SandboxCore } from '../state/sandbox-core.ts'
import { queryKey } from './continuation-tokens.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'

/** What one list request asks for. */
export interface RecordPageRequest {
  collection: string
  /** The property the page's records are wrapped in. */
  wrapper: string
  url: URL
  token: string | undefined
  pageSize: number
  /** Which records the query selects (only for a first page: a token carries its selection). */
  matches: (record: MasterRecord) => boolean
}

/** One page of the selected records, with a continuation token when more follow. */
export function recordPage(core: SandboxCore, req: RecordPageRequest): Response {
  const key = queryKey(req.url)
  let ids: readonly string[]
  let position = 0
  if (req.token) {
    const found = core.continuation.lookup(req.token, key)
    if (typeof found !== 'object')
      return errorResponse(400, [
        {
          type: 'VALIDATION',
          code: 'PARAMETER_VALIDATION_ERROR',
          message: 'The continuation token is invalid or does not belong to this query',
        },
      ])
    ;({ ids, position } = found)
  } else {
    ids = core.masterData
      .snapshot(req.collection)
      .filter(req.matches)
      .map((r) => r.externalCode)
  }
  if (position >= ids.length)
    return errorResponse(404, [{ type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message: 'No records match' }])
  const end = Math.min(ids.length, position + req.pageSize)
  const records = ids
    .slice(position, end)
    .flatMap((id) => core.masterData.collection(req.collection).get(id) ?? [])
  const headers: Record<string, string> = {}
  if (end < ids.length) headers['X-amz-meta-continuationToken'] = core.continuation.issue(key, ids, end)
  return jsonResponse(200, { [req.wrapper]: records }, headers)
}

/** One stored record by its `externalCode`, or Basware's 404. */
export function recordByExternalCode(core: SandboxCore, collection: string, externalCode: string): Response {
  const record = core.masterData.collection(collection).get(externalCode)
  return record
    ? jsonResponse(200, record)
    : errorResponse(404, [
        {
          externalCode,
          type: 'BUSINESS',
          code: 'ENTITY_NOT_FOUND',
          message: `No record with externalCode '${externalCode}'`,
        },
      ])
}

/**
 * Creating and updating single BC entities. Updates always carry `If-Match`; a stale ETag (409
 * `Request_EntityChanged`, or 412 through some proxies) triggers one re-read and one retry with the
 * fresh ETag, then the conflict is the runtime's to handle.
 */
import type { ConnectorContext, WriteResult } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { type ApiAnswer, callApi } from './call-api.ts'
import { companyUrl } from './company-url.ts'
import type { Config } from './config.ts'
import { decodeRecord } from './decode-record.ts'

/** The record without OData annotations, ready to send. */
export function payloadOf(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) if (!key.startsWith('@odata.')) out[key] = value
  return out
}

/** A `done` result from a BC answer that carries the entity. */
export function doneResult(entitySet: string, answer: ApiAnswer): WriteResult {
  const body = answer.body as Record<string, unknown>
  return {
    status: 'done',
    id: String(body.id),
    number: typeof body.number === 'string' ? body.number : undefined,
    etag: body['@odata.etag'] as string | undefined,
    record: decodeRecord(entitySet, body),
    calls: [answer.summary],
  }
}

/** POSTs a new entity to `path` (defaults to the entity set) under the company. */
export async function createEntity(
  ctx: ConnectorContext<Config>,
  entitySet: string,
  record: Record<string, unknown>,
  path = entitySet,
): Promise<WriteResult> {
  const answer = await callApi(ctx, {
    method: 'POST',
    url: `${await companyUrl(ctx)}/${path}`,
    body: payloadOf(record),
  })
  return doneResult(entitySet, answer)
}

/** PATCHes entity `id` with `If-Match`; re-reads and retries once on a stale ETag. */
export async function updateEntity(
  ctx: ConnectorContext<Config>,
  entitySet: string,
  id: string,
  record: Record<string, unknown>,
  etag?: string,
): Promise<WriteResult> {
  const url = `${await companyUrl(ctx)}/${entitySet}(${id})`
  const body = payloadOf(record)
  delete body.id
  const reread = async () => (await callApi(ctx, { method: 'GET', url })).body['@odata.etag'] as string
  const patch = async (ifMatch: string) =>
    callApi(ctx, { method: 'PATCH', url, body, headers: { 'if-match': ifMatch } })
  let current = etag ?? (await reread())
  try {
    return doneResult(entitySet, await patch(current))
  } catch (error) {
    if (!isConnectorError(error) || error.kind !== 'conflict') throw error
    current = await reread()
    return doneResult(entitySet, await patch(current))
  }
}

/**
 * Posts records to one Basware bulk import API and reports each record's real outcome.
 *
 * Basware's 200 only means the schema passed; the per-item outcome is read from requestStatus
 * (`x-amzn-RequestId`). Records the schema stage refused by externalCode (400) are reported as
 * `Refused` with Basware's messages and the rest of the chunk is posted once more, so one bad record
 * never blocks its neighbours.
 */
import type { CallSummary, ConnectorContext } from '../../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../../core/connector/connector-error.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'
import { remoteErrors } from '../errors.ts'
import { awaitRequestStatus } from '../request-status.ts'
import { chunkRecords } from './chunk-records.ts'

/** One record's fate: a requestStatus item status, `InProgress`, or `Refused` at the schema stage. */
export interface BulkOutcome {
  status: 'Success' | 'Warning' | 'Error' | 'NotProcessed' | 'RecordExpired' | 'InProgress' | 'Refused'
  messages: string[]
  /** Basware's error category (requestStatus) or code (schema stage). */
  code?: string
  requestId?: string
  call?: CallSummary
}

type Keyed = Record<string, unknown> & { externalCode: string }

async function postChunk(
  ctx: ConnectorContext<Config>,
  api: string,
  records: Keyed[],
  outcomes: Map<string, BulkOutcome>,
  retried: boolean,
): Promise<void> {
  let res: Awaited<ReturnType<typeof callApi>>
  try {
    res = await callApi(ctx, { method: 'POST', path: `/v1/${api}`, body: records })
  } catch (e) {
    if (!isConnectorError(e) || e.kind !== 'rejected' || retried) throw e
    const named = new Map<string, string[]>()
    for (const entry of remoteErrors(e)) {
      if (!entry.externalCode) continue
      named.set(entry.externalCode, [
        ...(named.get(entry.externalCode) ?? []),
        entry.message ?? entry.code ?? 'invalid',
      ])
    }
    if (named.size === 0) throw e
    for (const [code, messages] of named)
      outcomes.set(code, { status: 'Refused', messages, code: e.remoteCode })
    const rest = records.filter((r) => !named.has(r.externalCode))
    if (rest.length) await postChunk(ctx, api, rest, outcomes, true)
    return
  }
  const requestId = res.headers.get('x-amzn-requestid')
  if (!requestId)
    throw new ConnectorError('transient', `Basware answered POST /v1/${api} without x-amzn-RequestId.`)
  const status = await awaitRequestStatus(ctx, requestId)
  const byCode = new Map(status.items.map((i) => [i.externalCode, i]))
  for (const record of records) {
    const item = byCode.get(record.externalCode)
    const messages = (item?.errors ?? []).map((e) => e.message).filter((m): m is string => !!m)
    const itemStatus = status.status === 'InProgress' ? 'InProgress' : item?.status
    if (!itemStatus || itemStatus === 'InProgress' || itemStatus === 'Unpublished') {
      outcomes.set(record.externalCode, { status: 'InProgress', messages, requestId, call: res.summary })
      continue
    }
    outcomes.set(record.externalCode, {
      status: itemStatus as BulkOutcome['status'],
      messages,
      code: item?.errors?.[0]?.category,
      requestId,
      call: res.summary,
    })
  }
}

/**
 * Posts `records` to `/v1/<api>` in chunks of at most `maxRecords` (and under 6 MB), one chunk at a
 * time, and returns every record's outcome by externalCode.
 */
export async function postBulk(
  ctx: ConnectorContext<Config>,
  api: string,
  records: Keyed[],
  maxRecords: number,
): Promise<Map<string, BulkOutcome>> {
  const outcomes = new Map<string, BulkOutcome>()
  const items = records.map((record) => ({ collection: api, record }))
  for (const chunk of chunkRecords(items, maxRecords))
    await postChunk(
      ctx,
      api,
      chunk.map((i) => i.record),
      outcomes,
      false,
    )
  return outcomes
}

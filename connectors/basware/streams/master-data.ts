/**
 * Master-data target streams (vendors, accounts, costCenters, lists, taxCodes, paymentTerms): bulk
 * POSTs of records keyed by `externalCode`, each POST a full overwrite. Inactivation is data (the
 * `active` flags), not a DELETE.
 *
 * Basware's 200 only means the schema passed, so after each POST the connector follows
 * `x-amzn-RequestId` to requestStatus and reports each record's real outcome:
 * Success/Warning → done (warnings in the result record), Error → failed (rejected, Basware's
 * message), NotProcessed → skipped. A record identical to the last one that went through is not sent
 * at all (a hash per externalCode in `ctx.state`); duplicates inside one batch keep only the last.
 */
import type {
  ConnectorContext,
  Stream,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../../core/connector/json-answer.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'
import { remoteErrors } from '../errors.ts'
import { correlationIdFor } from '../outcomes.ts'
import { recordHash } from '../record-hash.ts'
import { awaitRequestStatus, type ProcessedItem } from '../request-status.ts'
import { type BaswareSchemaName, baswareSchema, extendedBaswareSchema } from '../schemas.ts'
import { chunkRecords } from './chunk-records.ts'

/** How one master-data API is addressed. */
export interface MasterDataSpec {
  /** Path segment: `/v1/<api>` (lists: `/v1/lists/{listKey}`). */
  api: string
  schema: BaswareSchemaName
  maxBatch: number
  description: string
}

type Posted = Record<string, unknown> & { externalCode: string }

interface Item {
  index: number
  record: Posted
  collection: string
  hash: string
}

const stateKey = (collection: string, externalCode: string) =>
  `basware:lastSent:${collection}:${externalCode}`

function rejected(
  message: string,
  details: { remoteCode?: string; remoteMessage?: string; field?: string } = {},
) {
  return { status: 'failed' as const, error: new ConnectorError('rejected', message, details) }
}

/** Splits a record into its collection (lists carry a routing `listKey`) and the body Basware gets. */
function prepare(
  spec: MasterDataSpec,
  record: Record<string, unknown>,
): { collection: string; body: Posted } | string {
  const { listKey, ...body } = record
  if (
    typeof body.externalCode !== 'string' ||
    body.externalCode.length === 0 ||
    body.externalCode.length > 36
  ) {
    return 'externalCode is required (1–36 characters)'
  }
  if (spec.api !== 'lists') return { collection: spec.api, body: body as Posted }
  if (typeof listKey !== 'string' || !listKey) return 'listKey is required (e.g. ACC_LIST_1)'
  return { collection: `lists/${listKey}`, body: body as Posted }
}

function itemResult(item: Item, processed: ProcessedItem | undefined, requestId: string): WriteResult {
  const messages = (processed?.errors ?? []).map((e) => e.message).filter((m): m is string => !!m)
  const id = item.record.externalCode
  switch (processed?.status) {
    case 'Success':
      return { status: 'done', id, record: { requestId } }
    case 'Warning':
      return { status: 'done', id, record: { requestId, warnings: messages } }
    case 'NotProcessed':
      return { status: 'skipped', id, reason: 'Basware already holds an identical record (NotProcessed)' }
    case 'RecordExpired':
      return {
        status: 'skipped',
        id,
        reason: 'A newer version of this record reached Basware within a second (RecordExpired)',
      }
    case 'Error': {
      const category = processed.errors?.[0]?.category
      return rejected(`Basware refused ${item.collection} '${id}': ${messages.join('; ') || 'no message'}`, {
        remoteCode: category,
        remoteMessage: messages.join('; '),
      })
    }
    default:
      return {
        status: 'failed',
        error: new ConnectorError('transient', `Basware's requestStatus ${requestId} does not list '${id}'.`),
      }
  }
}

/** Posts one chunk; records Basware refused at the schema stage fail, the rest are re-posted once. */
async function postChunk(
  ctx: ConnectorContext<Config>,
  spec: MasterDataSpec,
  items: Item[],
  results: WriteResult[],
  retried = false,
): Promise<void> {
  const collection = items[0]!.collection
  let res: Awaited<ReturnType<typeof callApi>>
  try {
    res = await callApi(ctx, {
      method: 'POST',
      path: `/v1/${collection}`,
      body: items.map((i) => i.record),
    })
  } catch (e) {
    if (!isConnectorError(e) || e.kind !== 'rejected' || retried) throw e
    const named = new Map<string, string[]>()
    for (const entry of remoteErrors(e)) {
      if (entry.externalCode)
        named.set(entry.externalCode, [
          ...(named.get(entry.externalCode) ?? []),
          entry.message ?? entry.code ?? 'invalid',
        ])
    }
    const bad = items.filter((i) => named.has(i.record.externalCode))
    if (bad.length === 0) {
      for (const i of items) results[i.index] = { status: 'failed', error: e }
      return
    }
    for (const i of bad)
      results[i.index] = rejected(
        `Basware refused ${collection} '${i.record.externalCode}': ${named.get(i.record.externalCode)!.join('; ')}`,
        { remoteCode: e.remoteCode, remoteMessage: named.get(i.record.externalCode)!.join('; ') },
      )
    const good = items.filter((i) => !named.has(i.record.externalCode))
    if (good.length) await postChunk(ctx, spec, good, results, true)
    return
  }
  const requestId = res.headers.get('x-amzn-requestid')
  if (!requestId)
    throw new ConnectorError('transient', `Basware answered POST /v1/${collection} without x-amzn-RequestId.`)
  const outcome = await awaitRequestStatus(ctx, requestId)
  const byCode = new Map(outcome.items.map((p) => [p.externalCode, p]))
  const remember: [string, string][] = []
  for (const item of items) {
    if (outcome.status === 'InProgress') {
      results[item.index] = {
        status: 'pending',
        correlationId: correlationIdFor(requestId, item.record.externalCode),
        calls: [res.summary],
      }
      continue
    }
    const result = itemResult(item, byCode.get(item.record.externalCode), requestId)
    results[item.index] = result
    if (
      result.status === 'done' ||
      (result.status === 'skipped' && byCode.get(item.record.externalCode)?.status === 'NotProcessed')
    ) {
      remember.push([stateKey(collection, item.record.externalCode), item.hash])
    }
  }
  await ctx.state.setMany(remember)
}

async function writeMany(
  ctx: ConnectorContext<Config>,
  spec: MasterDataSpec,
  reqs: WriteRequest[],
): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(reqs.length)
  const latest = new Map<string, Item>()
  for (const [index, req] of reqs.entries()) {
    const prepared = prepare(spec, req.record)
    if (typeof prepared === 'string') {
      results[index] = rejected(`${spec.api}: ${prepared}.`, { field: prepared.split(' ')[0] })
      continue
    }
    const item: Item = {
      index,
      record: prepared.body,
      collection: prepared.collection,
      hash: recordHash(prepared.body),
    }
    const key = `${item.collection}/${item.record.externalCode}`
    const earlier = latest.get(key)
    // Basware keeps only the newest of two posts within a second; send only the last one.
    if (earlier)
      results[earlier.index] = {
        status: 'skipped',
        id: item.record.externalCode,
        reason: 'Superseded by a later version in the same batch',
      }
    latest.set(key, item)
  }
  const toSend: Item[] = []
  const sent = await ctx.state.getMany<string>(
    [...latest.values()].map((item) => stateKey(item.collection, item.record.externalCode)),
  )
  for (const item of latest.values()) {
    if (sent.get(stateKey(item.collection, item.record.externalCode)) === item.hash) {
      results[item.index] = {
        status: 'skipped',
        id: item.record.externalCode,
        reason: 'Identical to the last record sent to Basware (it would answer NotProcessed)',
      }
    } else {
      toSend.push(item)
    }
  }
  for (const chunk of chunkRecords(toSend, spec.maxBatch)) await postChunk(ctx, spec, chunk, results)
  return results
}

/** Builds one master-data target stream. */
export function masterDataStream(spec: MasterDataSpec): Stream<Config> {
  const schema =
    spec.api === 'lists'
      ? extendedBaswareSchema(
          spec.schema,
          { listKey: { type: 'string', pattern: '^(ACC_LIST|INV_LIST|CUST_RESOLVER)_[0-9]+$' } },
          ['listKey'],
        )
      : baswareSchema(spec.schema)
  return {
    description: spec.description,
    schema,
    identity: { key: 'externalCode' },
    operations: ['upsert', 'create', 'update'],
    maxBatch: spec.maxBatch,
    writeMany: (ctx, reqs) => writeMany(ctx, spec, reqs),
    async write(ctx, req) {
      return (await writeMany(ctx, spec, [req]))[0]!
    },
    async find(ctx, match) {
      const prepared = prepare(spec, match)
      if (typeof prepared === 'string') return null
      const path = `/v1/${prepared.collection}/${encodeURIComponent(prepared.body.externalCode)}`
      const res = await callApi(ctx, { method: 'GET', path, expect: [404] })
      if (res.status === 404) return null
      const record = jsonAnswer<Record<string, unknown>>(res.text, `Basware's answer to GET ${path}`)
      return { id: prepared.body.externalCode, record }
    },
  }
}

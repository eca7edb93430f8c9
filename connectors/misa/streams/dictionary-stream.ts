/**
 * A master-data source stream over `get_dictionary`: pages of `skip`/`take` (≤ 100) until a short
 * page, incremental by `last_sync_time` with `CustomData.LastSyncTime` as the next watermark.
 * Records come back in MISA's own shape, carrying the write `dictionary_type` numbering.
 */
import type {
  ConnectorContext,
  JsonSchema,
  Page,
  ReadRequest,
  Stream,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { toMisaDateTime } from '../../../core/vietnam/vietnam-time.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'
import type { DictionaryType } from '../dictionary-types.ts'
import { listOf } from '../envelope.ts'
import { type DictionaryCursor, decodeCursor, encodeCursor } from './dictionary-cursor.ts'

/** MISA's page cap. */
export const MAX_TAKE = 100

/** The schema of a record of `type`: its id and code are required, everything else passes through. */
export function dictionarySchema(
  type: DictionaryType,
  properties: Record<string, JsonSchema> = {},
): JsonSchema {
  return {
    type: 'object',
    required: [type.idField, type.codeField],
    properties: {
      [type.idField]: { type: 'string' },
      [type.codeField]: { type: 'string' },
      [type.nameField]: { type: ['string', 'null'] },
      dictionary_type: { type: 'integer' },
      branch_id: { type: ['string', 'null'] },
      inactive: { type: 'boolean' },
      modified_date: { type: 'string' },
      ...properties,
    },
    additionalProperties: true,
  }
}

function initialWatermark(req: ReadRequest): string | null {
  if (!req.window?.from) return null
  try {
    return toMisaDateTime(req.window.from)
  } catch {
    throw new ConnectorError('config', `backfill window start is not a date: ${req.window.from}`)
  }
}

/** Reads pages of `fn` (get_dictionary or get_dictionary_delete) from a cursor. */
export async function* readDictionary(
  ctx: ConnectorContext<Config>,
  req: ReadRequest,
  fn: string,
  readType: number,
): AsyncIterable<Page> {
  const take = Math.min(MAX_TAKE, Math.max(1, Math.floor(req.pageSize ?? MAX_TAKE)))
  let cursor: DictionaryCursor
  try {
    cursor = decodeCursor(req.cursor, initialWatermark(req))
  } catch (e) {
    throw new ConnectorError('config', (e as Error).message)
  }
  const branchId = typeof req.query.branchId === 'string' ? req.query.branchId : null
  for (;;) {
    const { data, customData } = await callApi(ctx, fn, {
      data_type: readType,
      branch_id: branchId,
      skip: cursor.skip,
      take,
      last_sync_time: cursor.lastSyncTime,
    })
    const records = listOf(data)
    const watermark = typeof customData.LastSyncTime === 'string' ? customData.LastSyncTime : cursor.next
    if (records.length < take) {
      // A short page ends the pass: MISA returns no total count.
      yield {
        records,
        cursor: encodeCursor({ lastSyncTime: watermark ?? cursor.lastSyncTime, skip: 0, next: null }),
        calls: 1,
      }
      return
    }
    cursor = { lastSyncTime: cursor.lastSyncTime, skip: cursor.skip + records.length, next: watermark }
    yield { records, cursor: encodeCursor(cursor), calls: 1 }
  }
}

/** Declares a read-only master-data stream. */
export function dictionaryStream(
  type: DictionaryType,
  description: string,
  properties?: Record<string, JsonSchema>,
): Stream<Config> {
  return {
    description,
    schema: dictionarySchema(type, properties),
    identity: { key: type.idField, version: 'modified_date' },
    read: (ctx, req) => readDictionary(ctx, req, 'get_dictionary', type.readType),
  }
}

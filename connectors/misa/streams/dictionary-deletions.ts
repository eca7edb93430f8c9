/**
 * Deleted master data from `get_dictionary_delete`: tombstones `{sync_deleted_di_id, id, type,
 * delete_date, data, branch_id}` with `data` (a JSON string in MISA) parsed into an object.
 * `query.dataType` selects the read type (default 1, account objects).
 */
import type { Stream } from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import type { Config } from '../config.ts'
import { byReadType } from '../dictionary-types.ts'
import { readDictionary } from './dictionary-stream.ts'

function parseData(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/** The deletions stream. */
export const dictionaryDeletions: Stream<Config> = {
  description:
    'Deleted master data (tombstones) of one dictionary type; query.dataType picks the type (1 = account objects).',
  schema: {
    type: 'object',
    required: ['sync_deleted_di_id', 'id'],
    properties: {
      sync_deleted_di_id: { type: 'string' },
      id: { type: 'string' },
      type: { type: 'integer' },
      delete_date: { type: 'string' },
      data: {},
      branch_id: { type: ['string', 'null'] },
    },
    additionalProperties: true,
  },
  identity: { key: 'sync_deleted_di_id', version: 'delete_date' },
  async *read(ctx, req) {
    const readType = Number(req.query.dataType ?? 1)
    if (!byReadType(readType))
      throw new ConnectorError(
        'config',
        `query.dataType ${req.query.dataType} is not a MISA dictionary type (1-12)`,
      )
    for await (const page of readDictionary(ctx, req, 'get_dictionary_delete', readType)) {
      yield { ...page, records: page.records.map((r) => ({ ...r, data: parseData(r.data) })) }
    }
  },
}

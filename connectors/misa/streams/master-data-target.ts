/**
 * Master-data target streams over `save_dictionary` (≤ 200 items per call): vendors (account objects,
 * dictionary_type 1) and inventory items (dictionary_type 3). Like vouchers, results arrive by
 * callback: each write is `pending` with correlation id `dict:<dictionary_type>:<code>`.
 */
import type {
  ConnectorContext,
  JsonSchema,
  Stream,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { validateMst } from '../../../core/vietnam/mst.ts'
import type { Config } from '../config.ts'
import type { DictionaryType } from '../dictionary-types.ts'
import { dictionaryCorrelationId } from '../outcome-row.ts'
import { type Prepared, saveInBatches } from './save-in-batches.ts'

/** MISA's cap for save_dictionary. */
export const MAX_DICTIONARY_ITEMS = 200

function prepare(
  ctx: ConnectorContext<Config>,
  type: DictionaryType,
  defaults: Record<string, unknown>,
  req: WriteRequest,
): Prepared {
  const writeType = type.writeType!
  const code = req.record[type.codeField]
  const fail = (message: string, field: string): Prepared => ({
    failed: { status: 'failed', error: new ConnectorError('rejected', message, { field }) },
  })
  if (typeof code !== 'string' || code.trim() === '')
    return fail(`${type.codeField} is required`, `/${type.codeField}`)
  const tax = req.record.company_tax_code
  if (typeof tax === 'string' && tax !== '') {
    const mst = validateMst(tax)
    if (!mst.valid) return fail(mst.message, '/company_tax_code')
  }
  const item = {
    ...defaults,
    branch_id: ctx.config.branchId,
    ...req.record,
    dictionary_type: writeType,
    inactive: req.record.inactive ?? false,
  }
  return { item, correlationId: dictionaryCorrelationId(writeType, code) }
}

/** Declares a save_dictionary target stream for `type`. */
export function masterDataTarget(
  type: DictionaryType,
  description: string,
  defaults: Record<string, unknown>,
  schema: JsonSchema,
): Stream<Config> {
  const writeMany = (ctx: ConnectorContext<Config>, reqs: WriteRequest[]): Promise<WriteResult[]> =>
    saveInBatches(
      ctx,
      reqs.map((r) => prepare(ctx, type, defaults, r)),
      { fn: 'save_dictionary', key: 'dictionary', max: MAX_DICTIONARY_ITEMS },
    )
  return {
    description,
    schema,
    identity: { key: type.codeField },
    operations: ['create', 'update', 'upsert'],
    maxBatch: MAX_DICTIONARY_ITEMS,
    async write(ctx, req) {
      const [result] = await writeMany(ctx, [req])
      return result!
    },
    writeMany,
  }
}

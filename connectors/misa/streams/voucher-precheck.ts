/**
 * Reads MISA's chart of accounts and account objects and answers what a voucher names that MISA
 * would refuse: an account not in the chart or one that takes no postings (is_parent), a supplier
 * that does not exist, has stopped being tracked or is not a vendor. MISA's API has no lookup by
 * code, so each list is read whole (pages of 100) and kept for a few minutes per connection.
 *
 * Not checked, because the API cannot show it: the lock date (`khóa sổ`) of the books — a voucher
 * dated into a locked period is found by the period's reconciliation and MISA's callback instead.
 */
import type { ConnectorContext } from '../../../core/connector/connector.ts'
import type { PrecheckProblem, StreamPrecheck } from '../../../core/connector/stream-precheck.ts'
import type { Config } from '../config.ts'
import { type DictionaryType, dictionaryTypes as T } from '../dictionary-types.ts'
import { readDictionary } from './dictionary-stream.ts'

type Row = Record<string, unknown>

/** How long a read list stands in for MISA's (a shadow run checks many vouchers against one chart). */
export const PRECHECK_LIST_TTL_MS = 5 * 60_000

/** Every record of `type` by its code, read at most once per TTL per connection. */
async function listByCode(ctx: ConnectorContext<Config>, type: DictionaryType): Promise<Map<string, Row>> {
  const key = `misa.precheck.${type.readType}`
  const now = ctx.now().getTime()
  const held = ctx.memo.get(key) as { at: number; rows: Promise<Map<string, Row>> } | undefined
  if (held && now - held.at < PRECHECK_LIST_TTL_MS) return held.rows
  const rows = (async () => {
    const byCode = new Map<string, Row>()
    for await (const page of readDictionary(
      ctx,
      { cursor: null, query: {} },
      'get_dictionary',
      type.readType,
    ))
      for (const row of page.records) byCode.set(String(row[type.codeField]), row)
    return byCode
  })()
  ctx.memo.set(key, { at: now, rows })
  rows.catch(() => ctx.memo.delete(key))
  return rows
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

/** The precheck of the voucher streams. */
export function voucherPrecheck(options: { vendorRequired: boolean }): StreamPrecheck<Config> {
  return async (ctx, record) => {
    const problems: PrecheckProblem[] = []
    const code = text(record.account_object_code)
    if (code && !text(record.account_object_id)) {
      const object = (await listByCode(ctx, T.accountObject)).get(code)
      const pointer = '/account_object_code'
      if (!object) problems.push({ pointer, message: `account object ${code} does not exist in MISA` })
      else if (object.inactive === true)
        problems.push({ pointer, message: `account object ${code} is no longer tracked (inactive) in MISA` })
      else if (options.vendorRequired && object.is_vendor !== true)
        problems.push({ pointer, message: `account object ${code} is not a vendor in MISA` })
    }
    const detail = Array.isArray(record.detail) ? record.detail : []
    let chart: Map<string, Row> | undefined
    for (const [i, line] of detail.entries()) {
      if (line === null || typeof line !== 'object') continue
      for (const field of ['debit_account', 'credit_account', 'vat_account']) {
        const account = text((line as Row)[field])
        if (!account) continue
        chart ??= await listByCode(ctx, T.account)
        const found = chart.get(account)
        const pointer = `/detail/${i}/${field}`
        if (!found)
          problems.push({ pointer, message: `account ${account} is not in MISA's chart of accounts` })
        else if (found.is_parent === true)
          problems.push({
            pointer,
            message: `account ${account} is a summary account in MISA and takes no postings: choose a detail account`,
          })
      }
    }
    return problems
  }
}

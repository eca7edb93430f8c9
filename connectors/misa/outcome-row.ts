/**
 * Reads one per-item result row (from a callback's `data` or from get_call_back_detail_error) into a
 * WriteOutcome. Correlation ids: a voucher proposal is its `org_refid`; a delete is `delete:<org_refid>`;
 * a master-data item is `dict:<dictionary_type>:<code>`.
 */
import type { WriteOutcome } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'

/** Callback `data_type` of voucher saves and deletes. */
export const SAVE_DATA_TYPE = 1
export const DELETE_DATA_TYPE = 2

function pick(row: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase())
    if (key !== undefined) return row[key]
  }
  return undefined
}

/** The correlation id of a delete proposal. */
export function deleteCorrelationId(orgRefid: string): string {
  return `delete:${orgRefid}`
}

/** The correlation id of a master-data item. */
export function dictionaryCorrelationId(dictionaryType: number, code: string): string {
  return `dict:${dictionaryType}:${code}`
}

/** The correlation id a result row answers, or null when the row has no org_refid. */
export function correlationIdOf(row: Record<string, unknown>, dataType: number): string | null {
  const orgRefid = pick(row, 'org_refid', 'OrgRefID', 'org_ref_id')
  if (typeof orgRefid !== 'string' || orgRefid === '') return null
  const dictionaryType = pick(row, 'dictionary_type')
  if (typeof dictionaryType === 'number') return dictionaryCorrelationId(dictionaryType, orgRefid)
  return dataType === DELETE_DATA_TYPE ? deleteCorrelationId(orgRefid) : orgRefid
}

/** Turns a result row into an outcome; `secrets` are redacted from MISA's message. */
export function outcomeOfRow(
  row: Record<string, unknown>,
  dataType: number,
  secrets: readonly string[],
): WriteOutcome | null {
  const correlationId = correlationIdOf(row, dataType)
  if (!correlationId) return null
  const orgRefid = String(pick(row, 'org_refid', 'OrgRefID', 'org_ref_id'))
  const code = (pick(row, 'error_code', 'ErrorCode') as string | null | undefined) ?? null
  const message = remoteText(String(pick(row, 'error_message', 'ErrorMessage') ?? ''), secrets)
  const detail = {
    sessionId: pick(row, 'session_id') ?? null,
    voucherType: pick(row, 'voucher_type') ?? null,
  }
  if (pick(row, 'success', 'Success') === true) return { correlationId, status: 'done', id: orgRefid, detail }
  // A generated voucher is the end state we wanted; a missing one is the end state a delete wanted.
  if (code === 'IsCreatedVoucher' && dataType === SAVE_DATA_TYPE) {
    return { correlationId, status: 'done', id: orgRefid, detail: { ...detail, alreadyGenerated: true } }
  }
  if (code === 'VoucherNotFound' && dataType === DELETE_DATA_TYPE) {
    return { correlationId, status: 'done', id: orgRefid, detail: { ...detail, alreadyDeleted: true } }
  }
  const kind = code === 'Exception' ? 'transient' : 'rejected'
  const error = new ConnectorError(kind, `MISA refused ${orgRefid} (${code ?? 'no code'}): ${message}`, {
    remoteCode: code ?? undefined,
    remoteMessage: message,
  })
  return { correlationId, status: 'failed', error }
}

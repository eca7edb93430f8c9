/**
 * Applies one `save_dictionary` item to a tenant: codes are unique per type (customers and vendors
 * share one space), an item without an id updates the record with its code, and in strict mode the
 * tax code must pass the MST checksum.
 */
import { validateMst } from '../../../../core/vietnam/mst.ts'
import { byWriteType, dictionaryTypes as T } from '../../dictionary-types.ts'
import { putRecord } from '../control/demo-seed.ts'
import type { SandboxSettings } from '../state/sandbox-settings.ts'
import type { ResultRow, Tenant } from '../state/sandbox-state.ts'

/** Validates and stores one item; returns its callback row (org_refid carries the item's code). */
export function applyDictionaryItem(
  tenant: Tenant,
  settings: SandboxSettings,
  item: Record<string, unknown>,
  sessionId: string,
  now: Date,
): ResultRow {
  const type = byWriteType(Number(item.dictionary_type))
  const code = type ? item[type.codeField] : undefined
  const row = (error_code: string | null, error_message = ''): ResultRow => ({
    org_refid: String(code ?? item.org_refid ?? ''),
    dictionary_type: Number(item.dictionary_type),
    success: error_code === null,
    error_code,
    error_message,
    session_id: sessionId,
    error_call_back_message: null,
  })
  if (!type)
    return row('InvalidParam', `Loại danh mục (dictionary_type = ${item.dictionary_type}) không được hỗ trợ`)
  if (typeof code !== 'string' || code.trim() === '')
    return row('InvalidParam', `Thiếu mã (${type.codeField})`)
  if (typeof item[type.nameField] !== 'string' || item[type.nameField] === '')
    return row('InvalidParam', `Thiếu tên (${type.nameField})`)
  if (item.branch_id !== undefined && item.branch_id !== null) {
    const branch = tenant.dictionaries.getById(T.organizationUnit.readType, item.branch_id)
    if (!branch || ![1, 2].includes(Number(branch.organization_unit_type_id)))
      return row('InvalidData', `Chi nhánh (branch_id) ${item.branch_id} không tồn tại`)
  }
  if (settings.strict && type === T.accountObject && item.company_tax_code) {
    const mst = validateMst(String(item.company_tax_code))
    if (!mst.valid) return row('InvalidData', `Mã số thuế không hợp lệ: ${mst.message}`)
  }
  const byCode = tenant.dictionaries.getByCode(type.readType, code)
  const id = item[type.idField]
  if (
    byCode &&
    id !== undefined &&
    id !== null &&
    String(byCode[type.idField]).toLowerCase() !== String(id).toLowerCase()
  ) {
    return row('DuplicateCode', `Mã ${code} đã tồn tại`)
  }
  const existing = byCode ?? tenant.dictionaries.getById(type.readType, id)
  const merged = {
    ...existing,
    ...item,
    [type.idField]: existing?.[type.idField] ?? id ?? crypto.randomUUID(),
    dictionary_type: type.writeType,
  }
  delete merged.state
  putRecord(tenant, type.readType, merged, now)
  return row(null)
}

/** Master data: get_dictionary (skip/take ≤ 100, last_sync_time), get_dictionary_delete, save_dictionary. */
import type { Context, Hono } from 'hono'
import { parseVietnamDateTime, toMisaDateTime } from '../../../../core/vietnam/vietnam-time.ts'
import { byReadType } from '../../dictionary-types.ts'
import type { SandboxRuntime } from '../state/sandbox-runtime.ts'
import type { SandboxState } from '../state/sandbox-state.ts'
import { misaFail, misaOk } from './misa-reply.ts'
import { passGate } from './request-gate.ts'

/** The acknowledgement AMIS sends for every accepted asynchronous request. */
export const ACCEPTED = 'Hệ thống đã ghi nhận yêu cầu đồng bộ. Kết quả sẽ được gửi về qua API Callback.'

interface Paging {
  readType: number
  skip: number
  take: number
  sinceMs: number | null
  branchId: string | null
}

function paging(state: SandboxState, c: Context, body: Record<string, unknown>): Paging | Response {
  const readType = Number(body.data_type)
  if (!byReadType(readType)) return misaFail(c, 'InvalidParam', `data_type không hợp lệ: ${body.data_type}`)
  const skip = Number(body.skip ?? 0)
  let take = Number(body.take ?? 100)
  if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(take) || take < 1)
    return misaFail(c, 'InvalidParam', 'skip/take không hợp lệ')
  if (take > 100) {
    if (state.settings.strict) return misaFail(c, 'InvalidParam', 'take tối đa 100 bản ghi')
    take = 100
  }
  let sinceMs: number | null = null
  if (body.last_sync_time !== null && body.last_sync_time !== undefined && body.last_sync_time !== '') {
    try {
      sinceMs = parseVietnamDateTime(String(body.last_sync_time)).getTime()
    } catch {
      return misaFail(c, 'InvalidParam', 'last_sync_time phải có dạng yyyy-MM-dd HH:mm:ss')
    }
  }
  const branchId = typeof body.branch_id === 'string' && body.branch_id ? body.branch_id : null
  return { readType, skip, take, sinceMs, branchId }
}

/** Registers the master-data routes. */
export function dictionaryRoutes(app: Hono, sb: SandboxRuntime): void {
  const { state } = sb
  app.post('/apir/sync/actopen/get_dictionary', async (c) => {
    const gate = await passGate(state, c, 'get_dictionary')
    if (gate instanceof Response) return gate
    const p = paging(state, c, gate.body)
    if (p instanceof Response) return p
    const matching = gate.tenant.dictionaries
      .list(p.readType)
      .filter(
        (r) =>
          (p.sinceMs === null || r.modifiedMs > p.sinceMs) &&
          (!p.branchId || !r.data.branch_id || r.data.branch_id === p.branchId),
      )
    const last = matching.at(-1)
    const lastSyncTime = last
      ? toMisaDateTime(new Date(last.modifiedMs))
      : ((gate.body.last_sync_time as string | null | undefined) ?? null)
    const page = matching.slice(p.skip, p.skip + p.take).map((r) => structuredClone(r.data))
    return misaOk(c, page, { LastSyncTime: lastSyncTime })
  })

  app.post('/apir/sync/actopen/get_dictionary_delete', async (c) => {
    const gate = await passGate(state, c, 'get_dictionary_delete')
    if (gate instanceof Response) return gate
    const p = paging(state, c, gate.body)
    if (p instanceof Response) return p
    const type = byReadType(p.readType)!
    const matching = gate.tenant.dictionaries.tombstones.filter(
      (t) => t.type === (type.writeType ?? type.readType) && (p.sinceMs === null || t.deletedMs > p.sinceMs),
    )
    const last = matching.at(-1)
    const page = matching.slice(p.skip, p.skip + p.take).map(({ deletedMs: _, ...t }) => t)
    return misaOk(c, page, {
      LastSyncTime: last
        ? toMisaDateTime(new Date(last.deletedMs))
        : ((gate.body.last_sync_time as string | null) ?? null),
    })
  })

  app.post('/apir/sync/actopen/save_dictionary', async (c) => {
    const gate = await passGate(state, c, 'save_dictionary')
    if (gate instanceof Response) return gate
    const items = gate.body.dictionary
    if (!Array.isArray(items) || items.length === 0)
      return misaFail(c, 'InvalidParam', 'dictionary phải là mảng có ít nhất 1 phần tử')
    if (items.length > 200) return misaFail(c, 'InvalidParam', 'Tối đa 200 danh mục cho mỗi lần gọi')
    if (items.some((i) => !i || typeof i !== 'object' || typeof i.dictionary_type !== 'number'))
      return misaFail(c, 'InvalidParam', 'Mỗi danh mục phải có dictionary_type')
    sb.enqueue({ kind: 'save_dictionary', tenant: gate.tenant, vouchers: [], dictionary: items })
    return misaOk(c, ACCEPTED)
  })
}

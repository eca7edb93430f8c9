/** Voucher proposals: save (≤ 100 vouchers, always acknowledged) and DELETE delete, both answered by callback. */
import type { Context, Hono } from 'hono'
import type { SandboxRuntime } from '../state/sandbox-runtime.ts'
import { misaFail, misaOk } from './misa-reply.ts'
import { passGate } from './request-gate.ts'
import { ACCEPTED } from './routes-dictionary.ts'

function voucherArray(c: Context, value: unknown): Record<string, unknown>[] | Response {
  if (!Array.isArray(value) || value.length === 0)
    return misaFail(c, 'InvalidParam', 'voucher phải là mảng có ít nhất 1 chứng từ')
  if (value.length > 100) return misaFail(c, 'InvalidParam', 'Tối đa 100 chứng từ cho mỗi lần gọi')
  if (value.some((v) => !v || typeof v !== 'object' || Array.isArray(v)))
    return misaFail(c, 'InvalidParam', 'Chứng từ không đúng định dạng')
  return value
}

/** Registers save and delete (and the /api/sync trap). */
export function voucherRoutes(app: Hono, sb: SandboxRuntime): void {
  const { state } = sb
  const save = async (c: Context) => {
    const gate = await passGate(state, c, 'save')
    if (gate instanceof Response) return gate
    const vouchers = voucherArray(c, gate.body.voucher)
    if (vouchers instanceof Response) return vouchers
    const dictionary = gate.body.dictionary ?? []
    if (!Array.isArray(dictionary) || dictionary.length > 200)
      return misaFail(c, 'InvalidParam', 'dictionary tối đa 200 phần tử')
    sb.enqueue({ kind: 'save', tenant: gate.tenant, vouchers, dictionary })
    return misaOk(c, ACCEPTED)
  }
  app.post('/apir/sync/actopen/save', save)
  // The CRM guide's "/api/sync/actopen/save" (no "r") does not exist on ACT; serve it only when asked.
  app.post('/api/sync/actopen/save', (c) =>
    state.settings.apiSyncAlias ? save(c) : c.text('Not Found', 404),
  )

  const remove = async (c: Context) => {
    const gate = await passGate(state, c, 'delete')
    if (gate instanceof Response) return gate
    const refs = voucherArray(c, gate.body.voucher)
    if (refs instanceof Response) return refs
    if (refs.some((r) => typeof r.org_refid !== 'string' || typeof r.voucher_type !== 'number')) {
      return misaFail(c, 'InvalidParam', 'Mỗi chứng từ cần voucher_type và org_refid')
    }
    sb.enqueue({ kind: 'delete', tenant: gate.tenant, vouchers: refs, dictionary: [] })
    return misaOk(c, ACCEPTED)
  }
  app.delete('/apir/sync/actopen/delete', remove)
  // MISA documents DELETE with a body; some HTTP stacks cannot send one, so lenient mode also takes POST.
  app.post('/apir/sync/actopen/delete', (c) =>
    state.settings.strict ? c.text('Method Not Allowed', 405) : remove(c),
  )
}

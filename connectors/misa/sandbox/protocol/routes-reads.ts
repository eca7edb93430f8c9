/** Other reads: company info, payable/receivable balances, the failed-callback outbox, and stubs. */
import type { Hono } from 'hono'
import { vietnamDate } from '../../../../core/vietnam/vietnam-time.ts'
import { dictionaryTypes as T } from '../../dictionary-types.ts'
import type { SandboxRuntime } from '../state/sandbox-runtime.ts'
import { misaFail, misaOk } from './misa-reply.ts'
import { passGate } from './request-gate.ts'

const STUBS = [
  'get_option',
  'set_option',
  'request_data',
  'get_list_inventory_balance',
  'get_list_inventory_balance_delete',
]

/** Registers the read routes. */
export function readRoutes(app: Hono, { state }: SandboxRuntime): void {
  app.post('/apir/sync/actopen/get_company_info', async (c) => {
    const gate = await passGate(state, c, 'get_company_info')
    if (gate instanceof Response) return gate
    return misaOk(c, gate.tenant.company)
  })

  app.post('/apir/sync/actopen/get_list_acc_obj_debt', async (c) => {
    const gate = await passGate(state, c, 'get_list_acc_obj_debt')
    if (gate instanceof Response) return gate
    const payable = Number(gate.body.data_type) === 1
    const prefix = payable ? '331' : '131'
    const balances = new Map<string, number>()
    for (const l of gate.tenant.ledger) {
      if (!l.objectCode || !l.account.startsWith(prefix)) continue
      balances.set(
        l.objectCode,
        (balances.get(l.objectCode) ?? 0) + (payable ? l.credit - l.debit : l.debit - l.credit),
      )
    }
    const rows = [...balances].map(([code, amount]) => {
      const o = gate.tenant.dictionaries.getByCode(T.accountObject.readType, code)
      const debt = payable && state.settings.payablesNegative ? -amount : amount
      return {
        account_object_id: o?.account_object_id ?? null,
        account_object_code: code,
        account_object_name: o?.account_object_name ?? null,
        organization_unit_id: gate.tenant.branchId,
        debt_amount: debt,
        invoice_debt_amount: debt,
      }
    })
    return misaOk(c, rows)
  })

  app.post('/apir/sync/actopen/get_call_back_detail_error', async (c) => {
    const gate = await passGate(state, c, 'get_call_back_detail_error')
    if (gate instanceof Response) return gate
    const from = String(gate.body.from_date ?? '').slice(0, 10)
    const to = String(gate.body.to_date ?? '').slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to))
      return misaFail(c, 'InvalidParam', 'from_date/to_date phải có dạng yyyy-MM-dd')
    const skip = Math.max(0, Number(gate.body.skip ?? 0) || 0)
    const take = Math.min(100, Math.max(1, Number(gate.body.take ?? 100) || 100))
    const rows = gate.tenant.outbox.filter((r) => {
      const day = vietnamDate(new Date(r.createdMs))
      return day >= from && day <= to
    })
    return misaOk(
      c,
      rows.slice(skip, skip + take).map(({ createdMs: _, ...row }) => row),
    )
  })

  for (const fn of STUBS) {
    app.post(`/apir/sync/actopen/${fn}`, async (c) => {
      const gate = await passGate(state, c, fn)
      if (gate instanceof Response) return gate
      return misaOk(c, [])
    })
  }
}

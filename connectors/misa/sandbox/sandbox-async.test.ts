import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../core/connector/sandbox.ts'
import { startRawSandbox, voucher } from './raw-sandbox-client.ts'

let open: Sandbox | undefined
afterEach(async () => open?.close())

async function start(callbacks: { body: Record<string, unknown> }[] = []) {
  const env = await startRawSandbox(callbacks)
  open = env.sandbox
  return env
}

describe('save, callbacks and the failure outbox', () => {
  it('acknowledges an invalid voucher at once and reports the failure only in the signed callback', async () => {
    const callbacks: { body: Record<string, unknown> }[] = []
    const { call, control, cfg } = await start(callbacks)
    const ack = (
      await call('save', {
        voucher: [
          voucher(cfg.branchId!),
          voucher(cfg.branchId!, { org_refid: 'r-2', account_object_code: 'NOBODY' }),
        ],
      })
    ).json
    expect(ack).toMatchObject({ Success: true, ErrorCode: null, Data: expect.stringMatching(/ghi nhận/) })
    await control('process')
    expect(callbacks).toHaveLength(1)
    const body = callbacks[0]!.body
    expect(body).toMatchObject({ data_type: 1, app_id: cfg.appId, org_company_code: cfg.orgCompanyCode })
    expect(body.signature).toBe(createHmac('sha256', cfg.appId!).update(String(body.data)).digest('hex'))
    const rows = JSON.parse(String(body.data))
    expect(rows).toEqual([
      expect.objectContaining({ org_refid: 'r-1', success: true, voucher_type: 18 }),
      expect.objectContaining({ org_refid: 'r-2', success: false, error_code: 'InvalidData' }),
    ])
  })

  it('refuses more than 100 vouchers synchronously', async () => {
    const { call, cfg } = await start()
    const many = Array.from({ length: 101 }, (_, i) => voucher(cfg.branchId!, { org_refid: `r${i}` }))
    expect((await call('save', { voucher: many })).json).toMatchObject({
      Success: false,
      ErrorCode: 'InvalidParam',
    })
  })

  it('parks undeliverable callbacks for get_call_back_detail_error, filtered by date and paged', async () => {
    const { call, control, cfg } = await start()
    await control('callbacks', { mode: 'drop' })
    await call('save', { voucher: [voucher(cfg.branchId!), voucher(cfg.branchId!, { org_refid: 'r-2' })] })
    await control('process')
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
    const rows = JSON.parse(
      (await call('get_call_back_detail_error', { from_date: today, to_date: today, skip: 0, take: 1 })).json
        .Data,
    )
    expect(rows).toEqual([expect.objectContaining({ org_refid: 'r-1', success: true, data_type: 1 })])
    const none = JSON.parse(
      (await call('get_call_back_detail_error', { from_date: '2020-01-01', to_date: '2020-01-02' })).json
        .Data,
    )
    expect(none).toEqual([])
  })

  it('deletes with the DELETE verb and answers with a data_type 2 callback', async () => {
    const callbacks: { body: Record<string, unknown> }[] = []
    const { call, control, cfg } = await start(callbacks)
    await call('save', { voucher: [voucher(cfg.branchId!)] })
    await control('process')
    expect(
      (
        await call(
          'delete',
          {
            voucher: [
              { voucher_type: 18, org_refid: 'r-1' },
              { voucher_type: 18, org_refid: 'nope' },
            ],
          },
          'DELETE',
        )
      ).json.Success,
    ).toBe(true)
    await control('process')
    expect(callbacks[1]!.body.data_type).toBe(2)
    expect(JSON.parse(String(callbacks[1]!.body.data))).toEqual([
      expect.objectContaining({ org_refid: 'r-1', success: true }),
      expect.objectContaining({ org_refid: 'nope', success: false, error_code: 'VoucherNotFound' }),
    ])
  })

  it('derives payables from generated vouchers (negative, as in MISA’s example)', async () => {
    const { call, control, cfg } = await start()
    await call('save', { voucher: [voucher(cfg.branchId!)] })
    await control('process')
    await control('generate', {})
    const rows = JSON.parse((await call('get_list_acc_obj_debt', { data_type: 1 })).json.Data)
    expect(rows).toEqual([expect.objectContaining({ account_object_code: 'V0010', debt_amount: -1_100_000 })])
  })

  it('offers no endpoint that reads vouchers back', async () => {
    const { call } = await start()
    for (const fn of ['get_voucher', 'get_list_voucher', 'get']) expect((await call(fn)).status).toBe(404)
  })
})

import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../core/connector/sandbox.ts'
import { createSandbox } from './index.ts'

const BASE = 'http://127.0.0.1:1/misa'
let open: Sandbox | undefined
afterEach(async () => open?.close())

async function start(callbacks: { body: Record<string, unknown> }[] = []) {
  const sandbox = await createSandbox({
    baseUrl: BASE,
    fetch: (async (_url: string, init: RequestInit) => {
      callbacks.push({ body: JSON.parse(String(init.body)) })
      return Response.json({ Success: true, ErrorCode: null, ErrorMessage: '', Data: null })
    }) as typeof fetch,
  })
  open = sandbox
  const cfg = sandbox.connectionConfig() as Record<string, string>
  const raw = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    sandbox.fetch(
      new Request(`${BASE}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
  const connect = async () => {
    const res = await raw('POST', '/api/oauth/actopen/connect', {
      app_id: cfg.appId,
      access_code: cfg.accessCode,
      org_company_code: cfg.orgCompanyCode,
    })
    return JSON.parse(((await res.json()) as { Data: string }).Data).access_token as string
  }
  const token = await connect()
  const call = async (
    fn: string,
    body: Record<string, unknown> = {},
    method = 'POST',
    path = '/apir/sync/actopen/',
  ) => {
    const res = await raw(
      method,
      `${path}${fn}`,
      { app_id: cfg.appId, org_company_code: cfg.orgCompanyCode, ...body },
      { 'X-MISA-AccessToken': token },
    )
    const text = await res.text()
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : null }
  }
  const control = async (path: string, body: unknown = {}) =>
    (await raw('POST', `/__sandbox/${path}`, body)).json()
  await control('settings', { autoProcess: false, callbackRetryDelayMs: 0 })
  await control('callback-url', { url: 'http://partner.test/callback' })
  return { sandbox, cfg, raw, call, control, token, connect }
}

const voucher = (branchId: string, over: Record<string, unknown> = {}) => ({
  voucher_type: 18,
  reftype: 302,
  org_refid: 'r-1',
  branch_id: branchId,
  account_object_code: 'V0010',
  refdate: '2026-03-05 09:00:00',
  posted_date: '2026-03-05 09:00:00',
  total_sale_amount: 1_000_000,
  total_vat_amount: 100_000,
  total_amount: 1_100_000,
  detail: [
    {
      inventory_item_code: 'THEP-TAM',
      stock_code: 'KHO1',
      debit_account: '1561',
      credit_account: '331',
      vat_account: '1331',
      quantity: 10,
      unit_price: 100_000,
      amount: 1_000_000,
      vat_rate: 10,
      vat_amount: 100_000,
    },
  ],
  ...over,
})

describe('connect', () => {
  it('returns a token inside a JSON-string Data, with local expiry and wall-clock ticks', async () => {
    const { raw, cfg } = await start()
    const res = await raw('POST', '/api/oauth/actopen/connect', {
      app_id: cfg.appId,
      access_code: cfg.accessCode,
      org_company_code: cfg.orgCompanyCode,
    })
    const body = (await res.json()) as { Data: string }
    expect(typeof body.Data).toBe('string')
    const data = JSON.parse(body.Data)
    expect(data).toMatchObject({
      access_token: expect.any(String),
      tenant_code: 'H6DLVSLM',
      expired_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    })
    expect(data.expired_time_ticks).toBeGreaterThan(6e17)
  })

  it.each([
    ['unknown app', { app_id: '11111111-2222-3333-4444-555555555555' }, 'InvalidAppID'],
    ['wrong access code', { access_code: 'nope' }, 'InvalidAccessToken'],
    ['unknown company', { org_company_code: 'nobody' }, 'InvalidParam'],
  ])('%s → HTTP 200 Success:false %s', async (_name, patch, code) => {
    const { raw, cfg } = await start()
    const res = await raw('POST', '/api/oauth/actopen/connect', {
      app_id: cfg.appId,
      access_code: cfg.accessCode,
      org_company_code: cfg.orgCompanyCode,
      ...patch,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ Success: false, ErrorCode: code, Data: null })
  })
})

describe('token handling', () => {
  it('accepts the token only from X-MISA-AccessToken', async () => {
    const { raw, cfg, token } = await start()
    const res = await raw(
      'POST',
      '/apir/sync/actopen/get_company_info',
      { app_id: cfg.appId, org_company_code: cfg.orgCompanyCode },
      { Authorization: `Bearer ${token}` },
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ Success: false, ErrorCode: 'InvalidToken' })
  })

  it('expires tokens on the controllable clock, answering per tokenErrorMode', async () => {
    const { call, control } = await start()
    await control('clock', { advanceMs: 12 * 3600_000 + 1 })
    expect((await call('get_company_info')).json).toMatchObject({ Success: false, ErrorCode: 'ExpiredToken' })
    await control('settings', { tokenErrorMode: 'http401' })
    expect((await call('get_company_info')).status).toBe(401)
  })
})

describe('envelope and paths', () => {
  it('wraps company info in a string Data', async () => {
    const { call } = await start()
    const { json } = await call('get_company_info', { branch_id: null })
    expect(JSON.parse(json.Data)).toEqual({
      company_name: 'CRONUS Việt Nam JSC',
      company_address: expect.any(String),
      company_tax_code: '0314409058',
    })
  })

  it('answers 404 on /api/sync (the CRM-doc trap) unless the alias is enabled', async () => {
    const { call, control, cfg } = await start()
    expect(
      (await call('save', { voucher: [voucher(cfg.branchId!)] }, 'POST', '/api/sync/actopen/')).status,
    ).toBe(404)
    await control('settings', { apiSyncAlias: true })
    expect(
      (await call('save', { voucher: [voucher(cfg.branchId!)] }, 'POST', '/api/sync/actopen/')).json.Success,
    ).toBe(true)
  })

  it('serves only under the baseUrl path prefix', async () => {
    const { sandbox } = await start()
    expect(
      (await sandbox.fetch(new Request('http://127.0.0.1:1/api/oauth/actopen/connect', { method: 'POST' })))
        .status,
    ).toBe(404)
  })

  it('reports tenant set-up errors from every endpoint', async () => {
    const { call, control } = await start()
    await control('disconnect', { disconnected: true })
    expect((await call('get_dictionary', { data_type: 1 })).json).toMatchObject({
      Success: false,
      ErrorCode: 'AppIDDisconnect',
    })
  })
})

describe('get_dictionary', () => {
  it('pages with skip/take, no total, CustomData.LastSyncTime as a JSON string', async () => {
    const { call } = await start()
    const page = (await call('get_dictionary', { data_type: 1, skip: 8, take: 5, last_sync_time: null })).json
    expect(JSON.parse(page.Data)).toHaveLength(3)
    expect(JSON.parse(page.CustomData)).toEqual({
      LastSyncTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    })
    expect(page).not.toHaveProperty('Total')
  })

  it('uses the write numbering on records (items read as 2 come back as dictionary_type 3)', async () => {
    const { call } = await start()
    const items = JSON.parse((await call('get_dictionary', { data_type: 2 })).json.Data)
    expect(new Set(items.map((i: { dictionary_type: number }) => i.dictionary_type))).toEqual(new Set([3]))
  })

  it('clamps take to 100, or refuses it in strict mode', async () => {
    const { call, control, sandbox } = await start()
    await sandbox.produce!(150)
    expect(JSON.parse((await call('get_dictionary', { data_type: 1, take: 500 })).json.Data)).toHaveLength(
      100,
    )
    await control('settings', { strict: true })
    expect((await call('get_dictionary', { data_type: 1, take: 500 })).json).toMatchObject({
      Success: false,
      ErrorCode: 'InvalidParam',
    })
  })

  it('refuses an unknown data_type', async () => {
    const { call } = await start()
    expect((await call('get_dictionary', { data_type: 13 })).json).toMatchObject({
      Success: false,
      ErrorCode: 'InvalidParam',
    })
  })

  it('exposes deletions as tombstones with data as a JSON string', async () => {
    const { call, control } = await start()
    const [first] = JSON.parse((await call('get_dictionary', { data_type: 3 })).json.Data)
    await control('delete-record', { dataType: 3, id: first.stock_id })
    const [tomb] = JSON.parse((await call('get_dictionary_delete', { data_type: 3 })).json.Data)
    expect(tomb).toMatchObject({
      id: first.stock_id,
      type: 5,
      sync_deleted_di_id: expect.any(String),
      delete_date: expect.any(String),
    })
    expect(JSON.parse(tomb.data)).toMatchObject({ code: first.stock_code })
  })
})

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

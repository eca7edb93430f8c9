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

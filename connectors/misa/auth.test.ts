import { describe, expect, it } from 'vitest'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { callApi } from './call-api.ts'
import { misa } from './index.ts'
import { startTestEnv } from './test-env.ts'

async function errorOf(p: Promise<unknown>) {
  return p.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e,
  )
}

describe('check()', () => {
  it('connects and reads company info', async () => {
    const { ctx } = await startTestEnv()
    const result = await misa.check(ctx)
    expect(result.details).toMatchObject({ companyName: 'CRONUS Việt Nam JSC', companyTaxCode: '0314409058' })
  })

  it.each([
    ['AppIDDisconnect', { disconnected: true }, /disconnected this app/],
    ['DBAmisNotConnectDBACT', { disconnected: false, dbLinked: false }, /no accounting database linked/],
  ])(
    'reports %s (HTTP 200, Success:false) as a config error an admin can act on',
    async (code, body, message) => {
      const { ctx, control } = await startTestEnv()
      await control('disconnect', body)
      const e = await errorOf(misa.check(ctx))
      expect(e).toMatchObject({ kind: 'config', remoteCode: code, status: 200 })
      expect((e as Error).message).toMatch(message)
    },
  )

  it('reports an unknown app id as InvalidAppID (config)', async () => {
    const { ctx, withConfig } = await startTestEnv()
    const e = await errorOf(
      misa.check(withConfig({ appId: '00000000-1111-2222-3333-444444444444' }) as typeof ctx),
    )
    expect(e).toMatchObject({ kind: 'config', remoteCode: 'InvalidAppID' })
  })

  it('reports a wrong access code as auth, without leaking secrets', async () => {
    const { ctx, withConfig, log } = await startTestEnv()
    const e = await errorOf(misa.check(withConfig({ accessCode: 'not-the-code' }) as typeof ctx))
    expect(e).toMatchObject({ kind: 'auth', remoteCode: 'InvalidAccessToken' })
    // The admin reads MISA's exact refusal, as AMIS words it.
    expect((e as Error).message).toContain('Mã kết nối (access_code) không hợp lệ (InvalidAccessToken)')
    expect(JSON.stringify(e) + (e as Error).message).not.toContain('not-the-code')
    for (const line of log.lines) expect(line).not.toContain(ctx.config.accessCode)
  })

  it('refuses a branchId that is not a company or branch, in MISA’s words for the vouchers it would fail', async () => {
    const { ctx, withConfig } = await startTestEnv()
    const e = await errorOf(
      misa.check(withConfig({ branchId: '99999999-0000-0000-0000-000000000000' }) as typeof ctx),
    )
    expect(e).toMatchObject({ kind: 'config' })
    expect((e as Error).message).toContain(
      'Chi nhánh (branch_id) 99999999-0000-0000-0000-000000000000 không tồn tại',
    )
  })

  it('lists the company and its branches to pick from, not departments', async () => {
    const { ctx, withConfig } = await startTestEnv()
    const listed = await misa.configChoices!.list(ctx, 'branchId')
    // (departments are organisation units too, type 3 and 4, but no branch_id MISA takes)
    expect(listed.map((c) => c.label)).toEqual(['CRONUS — CRONUS Việt Nam JSC', 'CN-HN — Chi nhánh Hà Nội'])
    expect(listed[0]!.value).toBe(ctx.config.branchId)
    for (const choice of listed) await misa.check(withConfig({ branchId: choice.value }) as typeof ctx)
  })
})

describe('tokens', () => {
  it('reconnects once when the token expires mid-run and finishes the read', async () => {
    const { ctx, control } = await startTestEnv()
    const stream = misa.streams.accountObjects!
    const pages = []
    for await (const page of stream.read!(ctx, { cursor: null, query: {}, pageSize: 4 })) {
      pages.push(page)
      // MISA's clock moves 13 h while we hold a token the connector still believes valid.
      if (pages.length === 1) await control('clock', { advanceMs: 13 * 3600_000 })
    }
    expect(pages.flatMap((p) => p.records)).toHaveLength(11)
    const stats = await control('stats')
    expect(stats.connect).toBe(2)
  })

  it('single-flights the reconnect across concurrent calls', async () => {
    const { ctx, control } = await startTestEnv()
    await callApi(ctx, 'get_company_info', {})
    await control('clock', { advanceMs: 13 * 3600_000 })
    await Promise.all(Array.from({ length: 5 }, () => callApi(ctx, 'get_company_info', {})))
    expect((await control('stats')).connect).toBe(2)
  })

  it('fails with auth (not a loop) when a fresh token is refused too', async () => {
    const { ctx, control } = await startTestEnv()
    await control('faults', { fn: 'get_company_info', mode: 'expiredToken', count: 2 })
    const e = await errorOf(callApi(ctx, 'get_company_info', {}))
    expect(isConnectorError(e) && e.kind).toBe('auth')
    expect((await control('stats')).get_company_info).toBe(2)
  })

  it.each(['http401', 'http500'])('reconnects when MISA signals a bad token with %s', async (mode) => {
    const { ctx, control } = await startTestEnv()
    await callApi(ctx, 'get_company_info', {})
    await control('settings', { tokenErrorMode: mode })
    await control('clock', { advanceMs: 13 * 3600_000 })
    await expect(callApi(ctx, 'get_company_info', {})).resolves.toBeDefined()
  })

  it('turns a 5xx and a timeout into transient errors', async () => {
    const { ctx, control, withConfig } = await startTestEnv()
    await control('faults', { fn: 'get_company_info', mode: 'http500', count: 1 })
    expect(await errorOf(callApi(ctx, 'get_company_info', {}))).toMatchObject({
      kind: 'transient',
      status: 500,
    })
    const quick = withConfig({ requestTimeoutMs: 50 }) as typeof ctx
    await control('faults', { fn: 'get_company_info', mode: 'timeout', count: 1, delayMs: 5_000 })
    expect(await errorOf(callApi(quick, 'get_company_info', {}))).toMatchObject({ kind: 'transient' })
  })
})

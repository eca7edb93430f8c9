import { describe, expect, it } from 'vitest'
import { misa } from '../index.ts'
import { startTestEnv } from '../test-env.ts'
import { purchaseVoucherFixture } from '../test-fixtures.ts'
import { PRECHECK_LIST_TTL_MS } from './voucher-precheck.ts'

const { purchaseVouchers, paymentVouchers } = misa.streams

describe('MISA precheck of vouchers (shadow runs)', () => {
  it('finds nothing wrong in a voucher MISA would take, and reads each list once for many vouchers', async () => {
    const env = await startTestEnv()
    const voucher = purchaseVoucherFixture(String(env.ctx.config.branchId))
    const reads = async () => ((await env.control('stats')) as Record<string, number>).get_dictionary ?? 0
    const before = await reads()
    expect(await purchaseVouchers!.precheck!(env.ctx, voucher)).toEqual([])
    const once = (await reads()) - before
    // The chart of accounts and the account objects, a page or a few each.
    expect(once).toBeGreaterThanOrEqual(2)
    for (let i = 0; i < 5; i++) expect(await purchaseVouchers!.precheck!(env.ctx, voucher)).toEqual([])
    expect((await reads()) - before).toBe(once)
    const stats = (await env.control('stats')) as Record<string, number>
    expect(stats.save ?? 0).toBe(0)
  })

  it('answers unknown and summary accounts, and suppliers MISA does not know, stopped tracking or are not vendors', async () => {
    const env = await startTestEnv()
    const branch = String(env.ctx.config.branchId)
    const line = (purchaseVoucherFixture(branch).detail as Record<string, unknown>[])[0]!
    const check = (overrides: Record<string, unknown>) =>
      purchaseVouchers!.precheck!(env.ctx, purchaseVoucherFixture(branch, overrides))
    expect(await check({ detail: [{ ...line, debit_account: '9999', vat_account: '133' }] })).toEqual([
      { pointer: '/detail/0/debit_account', message: "account 9999 is not in MISA's chart of accounts" },
      {
        pointer: '/detail/0/vat_account',
        message: 'account 133 is a summary account in MISA and takes no postings: choose a detail account',
      },
    ])
    expect(await check({ account_object_code: 'NOPE' })).toEqual([
      { pointer: '/account_object_code', message: 'account object NOPE does not exist in MISA' },
    ])
    expect(await check({ account_object_code: 'V0080' })).toEqual([
      {
        pointer: '/account_object_code',
        message: 'account object V0080 is no longer tracked (inactive) in MISA',
      },
    ])
    expect(await check({ account_object_code: 'KH0001' })).toEqual([
      { pointer: '/account_object_code', message: 'account object KH0001 is not a vendor in MISA' },
    ])
    // A payment may go to any account object.
    expect(await paymentVouchers!.precheck!(env.ctx, { account_object_code: 'KH0001', detail: [] })).toEqual(
      [],
    )
  })

  it('each problem is one MISA refuses when the voucher is saved and processed', async () => {
    const env = await startTestEnv()
    const branch = String(env.ctx.config.branchId)
    const line = (purchaseVoucherFixture(branch).detail as Record<string, unknown>[])[0]!
    const bad = purchaseVoucherFixture(branch, { detail: [{ ...line, debit_account: '9999' }] })
    expect(await purchaseVouchers!.precheck!(env.ctx, bad)).toHaveLength(1)
    const written = await purchaseVouchers!.write!(env.ctx, {
      operation: 'create',
      record: bad,
      idempotencyKey: 'precheck-bad',
    })
    expect(written.status).toBe('pending')
    await env.control('process')
    expect(JSON.stringify(await env.control('proposals'))).toContain('9999')
  })

  it('a list older than its time to live is read again (an account added meanwhile is seen)', async () => {
    let now = Date.parse('2026-03-05T02:00:00Z')
    const env = await startTestEnv({ now: () => new Date(now) })
    const branch = String(env.ctx.config.branchId)
    const line = (purchaseVoucherFixture(branch).detail as Record<string, unknown>[])[0]!
    const voucher = purchaseVoucherFixture(branch, { detail: [{ ...line, debit_account: '1561' }] })
    expect(await purchaseVouchers!.precheck!(env.ctx, voucher)).toEqual([])
    env.ctx.memo.set('misa.precheck.5', {
      at: now,
      rows: Promise.resolve(new Map()),
    })
    expect(await purchaseVouchers!.precheck!(env.ctx, voucher)).toHaveLength(3)
    now += PRECHECK_LIST_TTL_MS + 1
    expect(await purchaseVouchers!.precheck!(env.ctx, voucher)).toEqual([])
  })
})

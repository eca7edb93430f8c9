import { describe, expect, it } from 'vitest'
import type { WriteRequest } from '../../core/connector/connector.ts'
import { misa } from './index.ts'
import { orgRefidFor } from './org-refid.ts'
import { pollOutcomes } from './outcomes.ts'
import { startTestEnv } from './test-env.ts'
import { purchaseVoucherFixture } from './test-fixtures.ts'

const purchases = misa.streams.purchaseVouchers!

function req(
  key: string,
  record: Record<string, unknown>,
  operation: WriteRequest['operation'] = 'create',
): WriteRequest {
  return { operation, record, idempotencyKey: key }
}

describe('voucher writes', () => {
  it('returns pending with a deterministic org_refid, then the callback completes it', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const result = await purchases.write!(
      ctx,
      req('flow-1:inv-1:v1', purchaseVoucherFixture(ctx.config.branchId!)),
    )
    const orgRefid = orgRefidFor('flow-1:inv-1:v1')
    expect(orgRefid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(result).toMatchObject({ status: 'pending', correlationId: orgRefid })
    expect(outcomes).toEqual([])
    await control('process')
    expect(outcomes).toEqual([
      expect.objectContaining({ correlationId: orgRefid, status: 'done', id: orgRefid }),
    ])
  })

  it('reports MISA’s asynchronous refusal with its code and message', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const bad = purchaseVoucherFixture(ctx.config.branchId!)
    ;(bad.detail as Record<string, unknown>[])[0]!.vat_amount = 70_000
    await purchases.write!(ctx, req('k-vat', bad))
    await control('process')
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      error: { kind: 'rejected', remoteCode: 'InvalidData' },
    })
    expect(outcomes[0]!.status === 'failed' && outcomes[0]!.error.remoteMessage).toMatch(/thuế GTGT 70000/)
  })

  it('fails a locked period with MISA’s message', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    await control('period-lock', { lockedThrough: '2026-03-31' })
    await purchases.write!(ctx, req('k-lock', purchaseVoucherFixture(ctx.config.branchId!)))
    await control('process')
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      error: { kind: 'rejected', remoteCode: 'LockedPeriod' },
    })
    expect(outcomes[0]!.status === 'failed' && outcomes[0]!.error.remoteMessage).toMatch(
      /khóa sổ đến ngày 31\/03\/2026/,
    )
  })

  it('a resend with the same key replaces the proposal instead of duplicating it', async () => {
    const { ctx, control } = await startTestEnv()
    const first = purchaseVoucherFixture(ctx.config.branchId!, { journal_memo: 'first' })
    await purchases.write!(ctx, req('k-resend', first))
    await control('process')
    await purchases.write!(ctx, req('k-resend', { ...first, journal_memo: 'second' }))
    await control('process')
    const proposals = (await control('proposals')) as {
      orgRefid: string
      payload: { journal_memo: string }
    }[]
    const mine = proposals.filter((p) => p.orgRefid === orgRefidFor('k-resend'))
    expect(mine).toHaveLength(1)
    expect(mine[0]!.payload.journal_memo).toBe('second')
  })

  it('after generation a resend is done (IsCreatedVoucher means already booked)', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const record = purchaseVoucherFixture(ctx.config.branchId!)
    await purchases.write!(ctx, req('k-gen', record))
    await control('process')
    expect((await control('generate', { org_refid: orgRefidFor('k-gen') })).generated).toHaveLength(1)
    await purchases.write!(ctx, req('k-gen', record))
    await control('process')
    expect(outcomes[1]).toMatchObject({
      status: 'done',
      correlationId: orgRefidFor('k-gen'),
      detail: { alreadyGenerated: true },
    })
  })

  it('honours an org_refid set by the mapping (replace across source versions)', async () => {
    const { ctx } = await startTestEnv()
    const record = purchaseVoucherFixture(ctx.config.branchId!, { org_refid: 'INV-2026-0001' })
    expect(await purchases.write!(ctx, req('v1', record))).toMatchObject({ correlationId: 'INV-2026-0001' })
    expect(await purchases.write!(ctx, req('v2', record))).toMatchObject({ correlationId: 'INV-2026-0001' })
  })

  it('deletes a proposal before generation and refuses after', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const record = purchaseVoucherFixture(ctx.config.branchId!)
    await purchases.writeMany!(ctx, [req('d1', record), req('d2', record)])
    await control('process')
    await control('generate', { org_refid: orgRefidFor('d2') })
    const results = await purchases.writeMany!(ctx, [
      req('del-1', { org_refid: orgRefidFor('d1') }, 'delete'),
      req('del-2', { org_refid: orgRefidFor('d2') }, 'delete'),
    ])
    expect(results.map((r) => r.status === 'pending' && r.correlationId)).toEqual([
      `delete:${orgRefidFor('d1')}`,
      `delete:${orgRefidFor('d2')}`,
    ])
    await control('process')
    expect(outcomes.slice(2)).toEqual([
      expect.objectContaining({ correlationId: `delete:${orgRefidFor('d1')}`, status: 'done' }),
      expect.objectContaining({
        correlationId: `delete:${orgRefidFor('d2')}`,
        status: 'failed',
        error: expect.objectContaining({ remoteCode: 'IsCreatedVoucher' }),
      }),
    ])
  })

  it('sends at most 100 vouchers per save call and keeps results in request order', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const record = purchaseVoucherFixture(ctx.config.branchId!)
    const reqs = Array.from({ length: 150 }, (_, i) => req(`bulk-${i}`, record))
    const results = await purchases.writeMany!(ctx, reqs)
    expect(results.map((r) => r.status === 'pending' && r.correlationId)).toEqual(
      reqs.map((r) => orgRefidFor(r.idempotencyKey)),
    )
    expect((await control('stats')).save).toBe(2)
    await control('process')
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(150)
  })

  it('fails a voucher over 500 lines locally, without sending it', async () => {
    const { ctx, control } = await startTestEnv()
    const line = (purchaseVoucherFixture(ctx.config.branchId!).detail as unknown[])[0]
    const huge = purchaseVoucherFixture(ctx.config.branchId!, {
      detail: Array.from({ length: 501 }, () => line),
    })
    const [result] = await purchases.writeMany!(ctx, [req('huge', huge)])
    expect(result).toMatchObject({ status: 'failed', error: { kind: 'rejected', field: '/detail' } })
    expect((await control('stats')).save).toBeUndefined()
  })

  it('fails the items of a batch MISA refuses as a whole, and throws on a 5xx', async () => {
    const { ctx, control } = await startTestEnv()
    const record = purchaseVoucherFixture(ctx.config.branchId!)
    await control('faults', { fn: 'save', mode: 'invalidParam', count: 1 })
    const results = await purchases.writeMany!(ctx, [req('a', record), req('b', record)])
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed'])
    await control('faults', { fn: 'save', mode: 'http500', count: 1 })
    await expect(purchases.writeMany!(ctx, [req('c', record)])).rejects.toMatchObject({ kind: 'transient' })
  })
})

describe('lost callbacks', () => {
  it('recovers a dropped callback by polling get_call_back_detail_error', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const since = new Date().toISOString()
    await purchases.write!(ctx, req('k-drop', purchaseVoucherFixture(ctx.config.branchId!)))
    await control('callbacks', { mode: 'drop' })
    await control('process')
    expect(outcomes).toEqual([])
    const [outcome] = await pollOutcomes(ctx, [{ correlationId: orgRefidFor('k-drop'), since }])
    expect(outcome).toMatchObject({ status: 'done', correlationId: orgRefidFor('k-drop') })
  })

  it('refuses a tampered callback, which MISA then retries and parks for polling', async () => {
    const { ctx, control, outcomes, refused } = await startTestEnv()
    const since = new Date().toISOString()
    await purchases.write!(ctx, req('k-tamper', purchaseVoucherFixture(ctx.config.branchId!)))
    await control('callbacks', { mode: 'tamper' })
    await control('process')
    expect(outcomes).toEqual([])
    expect(refused).toHaveLength(3)
    expect(refused[0]).toMatch(/signature does not match/)
    const [outcome] = await misa.outcomes!.poll(ctx, [{ correlationId: orgRefidFor('k-tamper'), since }])
    expect(outcome).toMatchObject({ status: 'done' })
  })

  it('never leaves a silently lost write pending: after the timeout it fails as transient for a resend', async () => {
    let now = Date.now()
    const { ctx, control } = await startTestEnv({ now: () => new Date(now) })
    const since = new Date(now).toISOString()
    await purchases.write!(ctx, req('k-lost', purchaseVoucherFixture(ctx.config.branchId!)))
    await control('callbacks', { mode: 'lose' })
    await control('process')
    const pending = [{ correlationId: orgRefidFor('k-lost'), since }]
    expect((await pollOutcomes(ctx, pending))[0]).toMatchObject({ status: 'pending' })
    now += 7 * 3600_000
    expect((await pollOutcomes(ctx, pending))[0]).toMatchObject({
      status: 'failed',
      error: { kind: 'transient' },
    })
  })
})

describe('master-data writes', () => {
  it('creates a vendor through save_dictionary and sees it on the next read', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    const vendors = misa.streams.vendors!
    const result = await vendors.write!(
      ctx,
      req('vendor-1', {
        account_object_code: 'V0999',
        account_object_name: 'Công ty Mới',
        company_tax_code: '0100109106',
      }),
    )
    expect(result).toMatchObject({ status: 'pending', correlationId: 'dict:1:V0999' })
    await control('process')
    expect(outcomes).toEqual([expect.objectContaining({ correlationId: 'dict:1:V0999', status: 'done' })])
    const records = []
    for await (const page of misa.streams.accountObjects!.read!(ctx, { cursor: null, query: {} }))
      records.push(...page.records)
    expect(records.find((r) => r.account_object_code === 'V0999')).toMatchObject({
      is_vendor: true,
      pay_account: '331',
    })
  })

  it('refuses an invalid MST before sending', async () => {
    const { ctx } = await startTestEnv()
    const result = await misa.streams.vendors!.write!(
      ctx,
      req('vendor-2', {
        account_object_code: 'V0998',
        account_object_name: 'X',
        company_tax_code: '0100233480',
      }),
    )
    expect(result).toMatchObject({
      status: 'failed',
      error: { kind: 'rejected', field: '/company_tax_code' },
    })
  })

  it('writes items with dictionary_type 3', async () => {
    const { ctx, control, outcomes } = await startTestEnv()
    await misa.streams.items!.write!(
      ctx,
      req('item-1', { inventory_item_code: 'NEW-1', inventory_item_name: 'Hàng mới', unit_name: 'Cái' }),
    )
    await control('process')
    expect(outcomes[0]).toMatchObject({ correlationId: 'dict:3:NEW-1', status: 'done' })
  })
})

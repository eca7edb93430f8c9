import { afterEach, describe, expect, it } from 'vitest'
import type { WriteRequest, WriteResult } from '../../../core/connector/connector.ts'
import { basware } from '../index.ts'
import { POLL_SCHEDULE_KEY } from '../request-status.ts'
import { startTestEnv } from '../test-env.ts'
import { chunkRecords } from './chunk-records.ts'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

async function start() {
  const context = await startTestEnv()
  context.ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 120, maxStepMs: 200, totalMs: 2_000 })
  close = () => context.sandbox.close()
  return context
}

const req = (record: Record<string, unknown>, key = String(record.externalCode)): WriteRequest => ({
  operation: 'upsert',
  record,
  idempotencyKey: key,
})
const vendor = (code: string, extra: Record<string, unknown> = {}) => ({
  externalCode: `VN01_${code}`,
  vendorCode: code,
  name: `Nhà cung cấp ${code}`,
  companies: [{ companyCode: 'VN01' }],
  paymentTerms: { paymentTermCode: '30 DAYS' },
  ...extra,
})
const statusOf = (results: WriteResult[]) => results.map((r) => r.status)

describe('master-data writeMany', () => {
  it('reports each record’s real outcome from requestStatus, in request order', async () => {
    const { ctx } = await start()
    const results = await basware.streams.vendors!.writeMany!(ctx, [
      req(vendor('V0010')),
      req(vendor('V0099', { paymentTerms: { paymentTermCode: 'NET 99' } })),
      req({ externalCode: 'VN01_BAD', name: 'no vendor code', companies: [{ companyCode: 'VN01' }] }),
      req(vendor('V0020')),
    ])
    expect(statusOf(results)).toEqual(['done', 'failed', 'failed', 'done'])
    const [, unknownTerm, invalid] = results as Extract<WriteResult, { status: 'failed' }>[]
    expect(unknownTerm!.error.kind).toBe('rejected')
    expect(unknownTerm!.error.remoteMessage).toContain("Payment term 'NET 99' does not exist")
    expect(unknownTerm!.error.remoteCode).toBe('DataValidation')
    expect(invalid!.error.remoteCode).toBe('SCHEMA_VALIDATION_ERROR')
    expect(invalid!.error.remoteMessage).toContain('vendorCode')
  })

  it('returns Basware warnings with a done result', async () => {
    const { ctx } = await start()
    const [result] = await basware.streams.accounts!.writeMany!(ctx, [
      req({
        externalCode: 'VN01_6422',
        accountCode: '6422',
        taxCode: 'VAT99',
        accountNames: [{ language: 'en-US', translation: 'Chi phí quản lý' }],
        companies: [{ companyCode: 'VN01', inherit: false, active: true }],
      }),
    ])
    expect(result).toMatchObject({
      status: 'done',
      id: 'VN01_6422',
      record: { warnings: [expect.stringContaining("Tax code 'VAT99'")] },
    })
  })

  it('skips a record identical to the last one sent without calling Basware, and sends it again once changed', async () => {
    const { ctx, control } = await start()
    const vendors = basware.streams.vendors!
    await vendors.writeMany!(ctx, [req(vendor('V0030'))])
    const [again] = await vendors.writeMany!(ctx, [req({ ...vendor('V0030') })])
    expect(again).toMatchObject({ status: 'skipped', reason: expect.stringContaining('Identical') })
    expect((await control('GET', 'stats')).byRoute['POST /v1/vendors']).toBe(1)
    const [changed] = await vendors.writeMany!(ctx, [
      req(vendor('V0030', { processingStatus: { active: false } })),
    ])
    expect(changed!.status).toBe('done')
    const stored = await control('GET', 'master-data/vendors')
    expect(stored.records[0].processingStatus).toEqual({ active: false })
  })

  it('reports Basware’s NotProcessed as skipped when another process already sent the same record', async () => {
    const { ctx, withConfig } = await start()
    await basware.streams.vendors!.writeMany!(ctx, [req(vendor('V0040'))])
    const other = withConfig({})
    other.memo.set(POLL_SCHEDULE_KEY, { firstMs: 120, maxStepMs: 200, totalMs: 2_000 })
    const [result] = await basware.streams.vendors!.writeMany!(other, [req(vendor('V0040'))])
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('NotProcessed') })
  })

  it('chunks to 200 vendors per request and keeps only the last of duplicates in a batch', async () => {
    const { ctx, control } = await start()
    const reqs = Array.from({ length: 450 }, (_, i) => req(vendor(`V${1000 + i}`)))
    reqs.push(req(vendor('V1000', { name: 'renamed' })))
    const results = await basware.streams.vendors!.writeMany!(ctx, reqs)
    expect(results[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('Superseded') })
    expect(results.slice(1).every((r) => r.status === 'done')).toBe(true)
    expect((await control('GET', 'stats')).byRoute['POST /v1/vendors']).toBe(3)
  })

  it('routes list items by listKey', async () => {
    const { ctx, control } = await start()
    const results = await basware.streams.lists!.writeMany!(ctx, [
      req({
        listKey: 'ACC_LIST_1',
        externalCode: 'PROJECT_P-HCM01',
        text_1: 'P-HCM01',
        text_2: 'Nhà máy Bình Dương',
      }),
      req({ externalCode: 'NO_KEY' }),
    ])
    expect(statusOf(results)).toEqual(['done', 'failed'])
    expect((await control('GET', 'master-data/lists/ACC_LIST_1')).records[0]).toMatchObject({
      externalCode: 'PROJECT_P-HCM01',
    })
  })

  it('parks records still in progress as pending and resolves them later with outcomes.poll', async () => {
    const { ctx, control } = await start()
    await control('POST', 'settings', { importDelayMs: 60_000 })
    ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 50, maxStepMs: 50, totalMs: 100 })
    const [result] = await basware.streams.costCenters!.writeMany!(ctx, [
      req({
        externalCode: 'CC_ADM',
        costCenterCode: 'ADM',
        costCenterNames: [{ language: 'en-US', translation: 'Hành chính' }],
        companies: [{ companyCode: 'VN01', active: true }],
      }),
    ])
    expect(result!.status).toBe('pending')
    const correlationId = (result as { correlationId: string }).correlationId
    expect(await basware.outcomes!.poll(ctx, [{ correlationId, since: new Date().toISOString() }])).toEqual([
      { correlationId, status: 'pending' },
    ])
    await control('POST', 'settings', { importDelayMs: 0 })
    expect(
      await basware.outcomes!.poll(ctx, [{ correlationId, since: new Date().toISOString() }]),
    ).toMatchObject([{ correlationId, status: 'done', id: 'CC_ADM' }])
  })
})

describe('chunkRecords', () => {
  it.each([
    ['by count', 2, 1_000_000, [2, 2, 1]],
    ['by body size', 100, 250, [2, 2, 1]],
  ])('cuts %s', (_name, max, bytes, sizes) => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      collection: 'vendors',
      record: { externalCode: `V${i}`, pad: 'x'.repeat(80) },
    }))
    expect(chunkRecords(items, max, bytes).map((c) => c.length)).toEqual(sizes)
  })
})

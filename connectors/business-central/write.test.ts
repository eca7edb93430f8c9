import { describe, expect, it } from 'vitest'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { businessCentral } from './index.ts'
import { apiCalls, startTestEnv } from './test-env.ts'

const { vendors, purchaseInvoices, purchaseCreditMemos, vendorPayments } = businessCentral.streams

const invoice = (vendorInvoiceNumber: string, extra: Record<string, unknown> = {}) => ({
  vendorNumber: 'V0010',
  vendorInvoiceNumber,
  purchaseInvoiceLines: [
    {
      lineType: 'Account',
      lineObjectNumber: '6422',
      quantity: 2,
      unitCost: 1_500_000,
      taxCode: 'VAT10',
      dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'SALES' }],
    },
  ],
  ...extra,
})

const create = (ctx: any, record: Record<string, unknown>) =>
  purchaseInvoices!.write!(ctx, {
    operation: 'create',
    record,
    idempotencyKey: String(record.vendorInvoiceNumber),
  })

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`)
  return error
}

describe('writing purchase invoices', () => {
  it('costs exactly two BC calls: a deep insert, then post (with the posted number)', async () => {
    const { ctx, fetch } = await startTestEnv()
    await businessCentral.check(ctx)
    const before = apiCalls(fetch.calls).length
    const created = await create(ctx, invoice('HD-0001'))
    expect(created).toMatchObject({ status: 'done', number: expect.stringMatching(/^PI-/) })
    if (created.status !== 'done') return
    expect((created.record as any).totalAmountIncludingTax).toBe(3_300_000)
    const posted = await purchaseInvoices!.actions!.post!.run(ctx, { id: created.id, etag: created.etag })
    expect(apiCalls(fetch.calls).length - before).toBe(2)
    expect(posted.id).toBe(created.id)
    expect(posted.number).toMatch(/^PPI-/)
    const found = await purchaseInvoices!.find!(ctx, {
      vendorNumber: 'V0010',
      vendorInvoiceNumber: 'HD-0001',
    })
    expect(found).toMatchObject({ id: created.id, number: posted.number, record: { status: 'Open' } })
    expect(purchaseInvoices!.actions!.post!.isDone!(found!)).toBe(true)
  })

  it('keeps dimension set lines of deep-inserted lines', async () => {
    const { ctx, control } = await startTestEnv()
    const created = await create(ctx, invoice('HD-0002'))
    if (created.status !== 'done') throw new Error('not created')
    const lines = await control(`state/purchaseInvoiceLines`)
    const line = lines.find((l: any) => l.documentId === created.id)
    expect(line['@sandbox.extra'].dims).not.toEqual({})
  })

  it('treats a repeated post of an already posted invoice as done (a timed-out post that committed)', async () => {
    const { ctx } = await startTestEnv()
    const created = await create(ctx, invoice('HD-0003'))
    if (created.status !== 'done') throw new Error('not created')
    const first = await purchaseInvoices!.actions!.post!.run(ctx, { id: created.id })
    const again = await purchaseInvoices!.actions!.post!.run(ctx, { id: created.id })
    expect(again.number).toBe(first.number)
  })

  it('lets find-before-write resolve a create that committed and then timed out', async () => {
    const { ctx, control } = await startTestEnv()
    await control('faults', { commitThenTimeoutRate: 1 })
    const error = await failure(create(ctx, invoice('HD-0004')))
    expect(error.kind).toBe('transient')
    await control('faults', {})
    const found = await purchaseInvoices!.find!(ctx, {
      vendorNumber: 'V0010',
      vendorInvoiceNumber: 'HD-0004',
    })
    expect(found?.record.status).toBe('Draft')
  })

  it('creates many invoices in one $batch call, failing only the bad one', async () => {
    const { ctx, fetch } = await startTestEnv()
    await businessCentral.check(ctx)
    const before = apiCalls(fetch.calls).length
    const results = await purchaseInvoices!.writeMany!(ctx, [
      { operation: 'create', record: invoice('HD-B1'), idempotencyKey: 'b1' },
      { operation: 'create', record: invoice('HD-B2', { vendorNumber: 'V0080' }), idempotencyKey: 'b2' },
      { operation: 'create', record: invoice('HD-B3'), idempotencyKey: 'b3' },
    ])
    expect(apiCalls(fetch.calls).length - before).toBe(1)
    expect(results.map((r) => r.status)).toEqual(['done', 'failed', 'done'])
    const failed = results[1]!
    if (failed.status === 'failed') expect(failed.error.remoteMessage).toContain('blocked with type All')
  })
})

describe('BC errors become ConnectorError kinds with BC’s own code and message', () => {
  it('closed posting period → rejected', async () => {
    const { ctx, control } = await startTestEnv()
    await control('faults', { allowPostingFrom: '2099-01-01' })
    const created = await create(ctx, invoice('HD-E1'))
    if (created.status !== 'done') throw new Error('not created')
    const error = await failure(purchaseInvoices!.actions!.post!.run(ctx, { id: created.id }))
    expect(error).toMatchObject({ kind: 'rejected', status: 400, remoteCode: 'Application_DialogException' })
    expect(error.remoteMessage).toMatch(
      /^Posting Date is not within your range of allowed posting dates\.\s+CorrelationId:/,
    )
    expect(error.message).not.toContain('CorrelationId')
  })

  it('blocked vendor → rejected', async () => {
    const { ctx } = await startTestEnv()
    const error = await failure(create(ctx, invoice('HD-E2', { vendorNumber: 'V0080' })))
    expect(error.kind).toBe('rejected')
    expect(error.remoteMessage).toContain(
      'You cannot create this type of document when Vendor V0080 is blocked with type All',
    )
  })

  it('duplicate vendor invoice number → rejected at posting', async () => {
    const { ctx } = await startTestEnv()
    for (const attempt of [1, 2]) {
      const created = await create(ctx, invoice('HD-DUP'))
      if (created.status !== 'done') throw new Error('not created')
      const run = purchaseInvoices!.actions!.post!.run(ctx, { id: created.id })
      if (attempt === 1) await run
      else
        expect((await failure(run)).remoteMessage).toContain(
          'Purchase Invoice HD-DUP already exists for this vendor.',
        )
    }
  })

  it('blocked dimension value → rejected', async () => {
    const { ctx, control } = await startTestEnv()
    await control('settings', { blockedDimensionValues: ['DEPARTMENT/SALES'] })
    const created = await create(ctx, invoice('HD-E3'))
    if (created.status !== 'done') throw new Error('not created')
    const error = await failure(purchaseInvoices!.actions!.post!.run(ctx, { id: created.id }))
    expect(error.remoteMessage).toContain('Dimension Value DEPARTMENT - SALES is blocked.')
  })

  it('unknown record → not_found (Internal_RecordNotFound)', async () => {
    const { ctx } = await startTestEnv()
    const error = await failure(
      vendors!.write!(ctx, {
        operation: 'update',
        record: { phoneNumber: '1' },
        existing: { id: '11111111-2222-3333-4444-555555555555', etag: 'W/"x"', record: {} },
        idempotencyKey: 'nf',
      }),
    )
    expect(error).toMatchObject({ kind: 'not_found', remoteCode: 'Internal_RecordNotFound', status: 404 })
  })

  it('429 → rate_limited with Retry-After', async () => {
    const { ctx, control } = await startTestEnv()
    await businessCentral.check(ctx)
    await control('limits', { requests: 1, windowMs: 60_000 })
    const read = async () => {
      for await (const _ of vendors!.read!(ctx, { cursor: null, query: {} })) return
    }
    await read()
    const error = await failure(read())
    expect(error.kind).toBe('rate_limited')
    expect(error.retryAfterMs).toBeGreaterThan(0)
  })

  it('503 with Retry-After → rate_limited; 504 and injected 500s → transient', async () => {
    const { ctx, control } = await startTestEnv()
    await businessCentral.check(ctx)
    await control('faults', { outageMs: 60_000 })
    const read = async () => {
      for await (const _ of vendors!.read!(ctx, { cursor: null, query: {} })) return
    }
    expect(await failure(read())).toMatchObject({ kind: 'rate_limited', status: 503, retryAfterMs: 1000 })
    await control('faults', { errorRate: 1, errorStatus: 504 })
    expect(await failure(read())).toMatchObject({ kind: 'transient', status: 504 })
  })
})

describe('vendors, credit memos and payments', () => {
  it('updates with If-Match and, on a stale ETag, re-reads and retries once', async () => {
    const { ctx, fetch } = await startTestEnv()
    const found = await vendors!.find!(ctx, { number: 'V0020' })
    await vendors!.write!(ctx, {
      operation: 'update',
      record: { email: 'a@b.vn' },
      existing: found!,
      idempotencyKey: 'u1',
    })
    const before = fetch.calls.length
    const result = await vendors!.write!(ctx, {
      operation: 'update',
      record: { email: 'c@d.vn' },
      existing: found!,
      idempotencyKey: 'u2',
    })
    expect(result).toMatchObject({ status: 'done', record: { email: 'c@d.vn' } })
    const methods = fetch.calls
      .slice(before)
      .map((r) => `${r.method} ${r.headers.get('if-match') ? 'if-match' : ''}`.trim())
    expect(methods).toEqual(['PATCH if-match', 'GET', 'PATCH if-match'])
  })

  it('creates a vendor with a number from BC’s series', async () => {
    const { ctx } = await startTestEnv()
    const result = await vendors!.write!(ctx, {
      operation: 'create',
      record: { displayName: 'Công ty TNHH Mới', taxRegistrationNumber: '0312345678' },
      idempotencyKey: 'v1',
    })
    expect(result).toMatchObject({ status: 'done', number: expect.stringMatching(/^V\d{4}$/) })
  })

  it('creates and posts a credit memo', async () => {
    const { ctx } = await startTestEnv()
    const created = await purchaseCreditMemos!.write!(ctx, {
      operation: 'create',
      record: {
        vendorNumber: 'V0020',
        vendorCreditMemoNumber: 'CN-0001',
        purchaseCreditMemoLines: [
          { lineType: 'Account', lineObjectNumber: '6427', quantity: 1, unitCost: 500_000 },
        ],
      },
      idempotencyKey: 'cm1',
    })
    if (created.status !== 'done') throw new Error('not created')
    const posted = await purchaseCreditMemos!.actions!.post!.run(ctx, { id: created.id })
    expect(posted.number).toMatch(/^PPCM-/)
  })

  it('pays an open invoice through the payment journal: status becomes Paid, and find sees it after posting', async () => {
    const { ctx, control } = await startTestEnv()
    const created = await create(ctx, invoice('HD-PAY'))
    if (created.status !== 'done') throw new Error('not created')
    await purchaseInvoices!.actions!.post!.run(ctx, { id: created.id })
    const payment = await vendorPayments!.write!(ctx, {
      operation: 'create',
      record: {
        vendorNumber: 'V0010',
        amount: 3_300_000,
        appliesToInvoiceId: created.id,
        documentNumber: 'UNC-0001',
      },
      idempotencyKey: 'p1',
    })
    if (payment.status !== 'done') throw new Error('not created')
    await vendorPayments!.actions!.post!.run(ctx, { id: payment.id, record: payment.record })
    const state = await control(`state/purchaseInvoices/${created.id}`)
    expect(state.status).toBe('Paid')
    const found = await vendorPayments!.find!(ctx, { documentNumber: 'UNC-0001' })
    expect(vendorPayments!.actions!.post!.isDone!(found!)).toBe(true)
  })
})

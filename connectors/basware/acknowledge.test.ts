import { afterEach, describe, expect, it } from 'vitest'
import { externalCodeFor, truncateText } from './external-code.ts'
import { basware } from './index.ts'
import { startTestEnv } from './test-env.ts'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

async function start() {
  const context = await startTestEnv()
  close = () => context.sandbox.close()
  const { invoiceIds } = await context.control('GET', 'documents?processingStatus=WaitingForTransfer')
  return { ...context, invoiceId: invoiceIds[0] as string }
}

const { transferResponse, paymentResponse } = basware.acknowledge!

describe('transferResponse', () => {
  it('books the invoice with the ERP voucher number, one call, externalCode derived from the idempotency key', async () => {
    const { ctx, control, invoiceId } = await start()
    await control('POST', 'stats/reset')
    await transferResponse!.send(ctx, {
      record: { invoiceId },
      payload: { success: true, voucherNumber1: 'PI-108001' },
      idempotencyKey: 'flow1:inv:v1:done',
    })
    const state = await control('GET', `documents/${invoiceId}`)
    expect(state.document).toMatchObject({ processingStatus: 'Transferred', voucherNumber1: 'PI-108001' })
    expect(state.document.transferResponses).toEqual([
      {
        externalCode: externalCodeFor('flow1:inv:v1:done', 'transferResponses'),
        success: true,
        voucherNumber1: 'PI-108001',
        responseMessage: 'Invoice transferred to the ERP.',
        paymentBlock: false,
      },
    ])
    const stats = await control('GET', 'stats')
    expect(stats.byRoute['POST /v1/accountingDocuments/:invoiceId/:kind']).toBe(1)
    expect(stats.total).toBe(2) // the token and the response itself
  })

  it('is recognisable when retried: the same key sends the same externalCode and Basware keeps one response', async () => {
    const { ctx, control, invoiceId } = await start()
    const send = () =>
      transferResponse!.send(ctx, {
        record: { invoiceId },
        payload: { success: true },
        idempotencyKey: 'k-retry',
      })
    await send()
    await send()
    await control('POST', 'settings', { reusedResponseCode: 'reject' })
    await send()
    expect((await control('GET', `documents/${invoiceId}`)).document.transferResponses).toHaveLength(1)
  })

  it('sends a failure with the ERP message truncated to 250 characters without splitting a character, secrets removed', async () => {
    const { ctx, control, invoiceId } = await start()
    const secret = String(ctx.config.clientSecret)
    const message = `Posting failed (${secret}): ${'Số tiền không khớp. '.repeat(12)}😀 and more`
    await transferResponse!.send(ctx, {
      record: { invoiceId },
      payload: { success: false, responseMessage: message },
      idempotencyKey: 'k-fail',
    })
    const state = await control('GET', `documents/${invoiceId}`)
    const sent = state.document.transferResponses[0].responseMessage as string
    expect(state.document.processingStatus).toBe('TransferFailed')
    expect(sent.length).toBeLessThanOrEqual(250)
    expect(sent.endsWith('…')).toBe(true)
    expect(sent).not.toContain(secret)
    expect(JSON.stringify(state)).not.toContain(secret)
  })

  it('uses a fresh externalCode for a different outcome of the same record', () => {
    expect(externalCodeFor('rec:v1:failed', 'transferResponses')).not.toBe(
      externalCodeFor('rec:v1:done', 'transferResponses'),
    )
    expect(externalCodeFor('x'.repeat(500), 'transferResponses')).toHaveLength(32)
  })
})

describe('paymentResponse', () => {
  it('sends exactly the mapped payment state, so omitted fields clear on the invoice', async () => {
    const { ctx, control, invoiceId } = await start()
    await transferResponse!.send(ctx, {
      record: { invoiceId },
      payload: { success: true },
      idempotencyKey: 't',
    })
    await paymentResponse!.send(ctx, {
      record: { invoiceId },
      payload: { paidTotal: 1000, paymentMethod: 'BANK', paymentDate: '2026-06-02T00:00:00Z' },
      idempotencyKey: 'p1',
    })
    await paymentResponse!.send(ctx, {
      record: { invoiceId },
      payload: { paidTotal: 2000 },
      idempotencyKey: 'p2',
    })
    const { payment } = await control('GET', `documents/${invoiceId}`)
    expect(payment).toEqual({
      paidTotal: 2000,
      externalCode: externalCodeFor('p2', 'paymentResponses'),
      success: true,
      paymentBlock: false,
    })
  })
})

describe('truncateText', () => {
  it.each([
    ['short text unchanged', 'abc', 5, 'abc'],
    ['long text cut with an ellipsis', 'abcdefgh', 5, 'abcd…'],
    ['a surrogate pair is never split', 'abc😀def', 5, 'abc…'],
  ])('%s', (_name, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected)
  })
})

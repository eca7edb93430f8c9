import { afterEach, describe, expect, it } from 'vitest'
import { isConnectorError } from '../../../core/connector/connector-error.ts'
import { externalCodeFor } from '../external-code.ts'
import { basware } from '../index.ts'
import { startTestEnv } from '../test-env.ts'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

const stream = basware.streams.paymentResponses!

async function start() {
  const context = await startTestEnv()
  close = () => context.sandbox.close()
  const { invoiceIds } = await context.control('GET', 'documents?processingStatus=WaitingForTransfer')
  const invoiceId = invoiceIds[0] as string
  return { ...context, invoiceId }
}

/** Moves an invoice to Transferred, the only state a payment response is accepted in. */
async function transfer(ctx: Awaited<ReturnType<typeof start>>['ctx'], invoiceId: string) {
  await basware.acknowledge!.transferResponse!.send(ctx, {
    record: { invoiceId },
    payload: { success: true, voucherNumber1: 'PI-108001' },
    idempotencyKey: `transfer:${invoiceId}`,
  })
}

describe('paymentResponses stream', () => {
  it('posts one payment response on the named invoice; the full paid total marks it Paid', async () => {
    const { ctx, control, invoiceId } = await start()
    await transfer(ctx, invoiceId)
    const { document } = await control('GET', `documents/${invoiceId}`)
    const result = await stream.write!(ctx, {
      operation: 'create',
      record: { invoiceId, paidTotal: document.grossSum, paymentDate: '2026-05-02', paymentNumber: 'PMT-1' },
      idempotencyKey: 'flow:pi-1:Paid',
    })
    const externalCode = externalCodeFor('flow:pi-1:Paid', 'paymentResponses')
    expect(result).toMatchObject({ status: 'done', id: externalCode })
    const after = await control('GET', `documents/${invoiceId}`)
    expect(after.document.paymentResponses).toEqual([
      {
        externalCode,
        success: true,
        paymentBlock: false,
        paidTotal: document.grossSum,
        paymentDate: '2026-05-02',
        paymentNumber: 'PMT-1',
      },
    ])
    expect(after.document.processingStatus).toBe('Paid')
  })

  it('a retried write of the same record version is not a second response', async () => {
    const { ctx, control, invoiceId } = await start()
    await transfer(ctx, invoiceId)
    const write = () =>
      stream.write!(ctx, {
        operation: 'create',
        record: { invoiceId, paidTotal: 1 },
        idempotencyKey: 'flow:pi-2:Paid',
      })
    await write()
    await expect(write()).resolves.toMatchObject({ status: 'done' })
    const after = await control('GET', `documents/${invoiceId}`)
    expect(after.document.paymentResponses).toHaveLength(1)
    expect(after.history.filter((h: { action: string }) => h.action === 'paymentResponse')).toHaveLength(1)
  })

  it("refuses a record without invoiceId, and relays Basware's refusal of an invoice not yet transferred", async () => {
    const { ctx, invoiceId } = await start()
    const missing = await stream.write!(ctx, {
      operation: 'create',
      record: { paidTotal: 5 },
      idempotencyKey: 'k1',
    }).catch((e) => e)
    expect(isConnectorError(missing) && missing.kind).toBe('rejected')
    const early = await stream.write!(ctx, {
      operation: 'create',
      record: { invoiceId, paidTotal: 5 },
      idempotencyKey: 'k2',
    }).catch((e) => e)
    expect(isConnectorError(early) && early.kind).toBe('rejected')
    expect(early.remoteMessage).toContain('payment responses need a transferred invoice')
  })
})

import { describe, expect, it } from 'vitest'
import { businessCentral } from '../index.ts'
import { startTestEnv } from '../test-env.ts'

const invoice = {
  vendorNumber: 'V0010',
  vendorInvoiceNumber: 'VAT-ID-1',
  postingDate: '2031-11-03',
  purchaseInvoiceLines: [1, 2, 3].map(() => ({
    lineType: 'Account',
    lineObjectNumber: '6271',
    quantity: 1,
    unitCost: 1_234_567,
    taxCode: 'VAT10',
  })),
}

describe('BC sandbox: VAT per VAT identifier, as BC computes a document', () => {
  it('rounds VAT once per tax group and gives the difference to the last line (setting on)', async () => {
    const { ctx, control } = await startTestEnv()
    await control('settings', { vatPerIdentifier: true })
    const done = await businessCentral.streams.purchaseInvoices!.write!(ctx, {
      operation: 'create',
      record: invoice,
      idempotencyKey: 'vat-id',
    })
    if (done.status !== 'done') throw new Error('not created')
    const record = done.record as {
      totalTaxAmount: number
      purchaseInvoiceLines?: { totalTaxAmount: number }[]
    }
    expect(record.totalTaxAmount).toBe(370_370)
    const state = (await control('state/purchaseInvoiceLines')) as {
      documentId: string
      totalTaxAmount: number
    }[]
    expect(state.filter((l) => l.documentId === done.id).map((l) => l.totalTaxAmount)).toEqual([
      123_457, 123_457, 123_456,
    ])
  })

  it('rounds each line on its own with the setting off (the default)', async () => {
    const { ctx } = await startTestEnv()
    const done = await businessCentral.streams.purchaseInvoices!.write!(ctx, {
      operation: 'create',
      record: invoice,
      idempotencyKey: 'vat-line',
    })
    expect((done as unknown as { record: { totalTaxAmount: number } }).record.totalTaxAmount).toBe(370_371)
  })
})

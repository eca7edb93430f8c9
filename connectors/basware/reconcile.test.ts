import { describe, expect, it } from 'vitest'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { acknowledge } from './acknowledge.ts'
import { basware } from './index.ts'
import { buildDocument, seededRandom } from './sandbox/control/seed-documents.ts'

const { accountingDocuments, paymentResponses } = basware.streams

async function start() {
  const env = await startSandboxContext(basware)
  const seed = async (documents: Record<string, unknown>[]) => {
    const res = await env.sandbox.fetch(
      new Request('http://127.0.0.1:1/basware/__sandbox/documents', {
        method: 'POST',
        body: JSON.stringify({ documents }),
      }),
    )
    return ((await res.json()) as { invoiceIds: string[] }).invoiceIds
  }
  return { ...env, seed }
}

async function listAll<R>(list: AsyncIterable<R[]>): Promise<R[]> {
  const out: R[] = []
  for await (const page of list) out.push(...page)
  return out
}

describe('Basware documents for reconciliation', () => {
  const random = seededRandom(7)
  const at = (day: string, status: string, sequence: number) =>
    buildDocument(random, new Date(`${day}T08:00:00Z`), sequence, status)

  it('lists the approved invoices of a period, waiting or transferred, by their voucher date', async () => {
    const env = await start()
    const inside = [
      at('2031-11-03', 'WaitingForTransfer', 1),
      at('2031-11-20', 'Transferred', 2),
      at('2031-11-29', 'Paid', 3),
    ]
    const outside = [at('2031-12-01', 'WaitingForTransfer', 4), at('2031-11-10', 'Rejected', 5)]
    await env.seed([...inside, ...outside])
    const listed = await listAll(
      accountingDocuments!.reconcile!.list!(env.ctx, { from: '2031-11-01', to: '2031-12-01' }),
    )
    expect(listed.map((d) => d.invoiceId).sort()).toEqual(inside.map((d) => d.invoiceId).sort())
    const methods = env.fetch.calls
      .filter((r) => r.url.includes('/v1/accountingDocuments'))
      .map((r) => r.method)
    expect(new Set(methods)).toEqual(new Set(['GET']))

    const doc = accountingDocuments!.reconcile!.document(inside[0]!)
    expect(doc).toMatchObject({
      id: inside[0]!.invoiceId,
      party: inside[0]!.supplierCode,
      reference: inside[0]!.invoiceNumber,
      postingDate: '2031-11-03',
      currency: inside[0]!.currencyCode,
      net: inside[0]!.netSum,
      tax: inside[0]!.taxSum1,
      gross: inside[0]!.grossSum,
    })
  })

  it('a credit note’s negative amounts read positive, as the ERP books them', () => {
    const doc = accountingDocuments!.reconcile!.document({
      invoiceId: 'c1',
      processingStatus: 'WaitingForTransfer',
      invoiceTypeCode: 'CreditNote',
      netSum: -1_000_000,
      taxSum1: -100_000,
      grossSum: -1_100_000,
      codingRows: [{ accountCode: '6411', netTotal: -1_000_000, taxSum: -100_000 }],
    })
    expect(doc).toMatchObject({
      net: 1_000_000,
      tax: 100_000,
      gross: 1_100_000,
      lines: [{ amount: 1_000_000, tax: 100_000 }],
    })
  })

  it('lists the payment responses of a period with their invoice; one Ferry would send reads the same', async () => {
    const env = await start()
    const [paidId] = await env.seed([at('2031-11-05', 'Transferred', 6)])
    const payload = { success: true, paidTotal: 1234, paymentDate: '2031-11-07', paymentBlock: false }
    await acknowledge.paymentResponse!.send(env.ctx, {
      record: { invoiceId: paidId! },
      payload,
      idempotencyKey: 'outside-ferry-1',
    })
    const reconcile = paymentResponses!.reconcile!
    const listed = await listAll(reconcile.list!(env.ctx, { from: '2031-11-01', to: '2031-12-01' }))
    expect(listed).toHaveLength(1)
    const held = reconcile.document(listed[0]!)
    expect(held).toMatchObject({ keys: { invoiceId: paidId }, paid: 1234, postingDate: '2031-11-07' })
    expect(held.id).toBeTruthy()
    expect(reconcile.document({ invoiceId: paidId, ...payload })).toMatchObject({
      keys: { invoiceId: paidId },
      paid: 1234,
    })
    expect(await listAll(reconcile.list!(env.ctx, { from: '2031-12-01', to: '2032-01-01' }))).toEqual([])
  })
})

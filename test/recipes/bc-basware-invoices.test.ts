import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import { waitFor } from '../support/wait-for.ts'
import { type BcBaswareTenant, startBcBaswareTenant } from './bc-basware-environment.ts'

const INVOICES = 'basware-invoices-to-bc'
const PAYMENTS = 'bc-payments-to-basware'
const CLOSED_MESSAGE = 'Posting Date is not within your range of allowed posting dates.'

// The BC sandbox keeps amounts as binary floats (765.6800000000001); BC itself has decimals.
const cents = (n: number) => Math.round(n * 100) / 100

interface BaswareDocument {
  document: Record<string, any>
  history: { action: string; success?: boolean; externalCode?: string }[]
}

describe('bc-basware recipe: invoices, payments and a closed period, end to end', () => {
  let env: BcBaswareTenant
  const documentOf = (id: string) => env.basware('GET', `documents/${id}`) as Promise<BaswareDocument>
  const bcInvoices = async () => (await env.bc('GET', 'state/purchaseInvoices')) as Record<string, any>[]
  const transfers = (d: BaswareDocument) => d.history.filter((h) => h.action.startsWith('transfer'))

  beforeAll(async () => {
    env = await startBcBaswareTenant('bc-basware-invoices')
  }, 60_000)
  afterAll(() => env?.stop())

  it('200 seeded Basware invoices end posted in BC equal to the source, each answered by one success transfer response', {
    timeout: 400_000,
  }, async () => {
    await env.basware('POST', 'documents', { count: 200 })
    const { invoiceIds } = await env.basware('GET', 'documents?processingStatus=WaitingForTransfer')
    expect(invoiceIds.length).toBeGreaterThanOrEqual(200)

    const records = await env.runAndSettle(INVOICES)
    expect(records.filter((r) => r.state !== 'delivered')).toEqual([])
    expect(new Set(records.map((r) => r.sourceKey))).toEqual(new Set(invoiceIds))

    const invoices = await bcInvoices()
    const lines = (await env.bc('GET', 'state/purchaseInvoiceLines')) as Record<string, any>[]
    const dimensionCode = new Map(
      ((await env.bc('GET', 'state/dimensions')) as any[]).map((d) => [d.id, d.code]),
    )
    const valueCode = new Map(
      ((await env.bc('GET', 'state/dimensionValues')) as any[]).map((v) => [v.id, v.code]),
    )
    const dimensionsOf = (line: Record<string, any>) =>
      Object.fromEntries(
        Object.entries((line['@sandbox.extra']?.dims ?? {}) as Record<string, string>).map(([d, v]) => [
          dimensionCode.get(d),
          valueCode.get(v),
        ]),
      )
    const currencies = new Set<string>()
    let multiRow = 0
    for (const id of invoiceIds as string[]) {
      const source = await documentOf(id)
      const doc = source.document
      const posted = invoices.filter(
        (i) => i.vendorNumber === doc.supplierCode && i.vendorInvoiceNumber === doc.invoiceNumber,
      )
      expect(posted, `BC invoices for ${doc.invoiceNumber}`).toHaveLength(1)
      const invoice = posted[0]!
      expect(invoice.status).toBe('Open')
      expect(invoice.currencyCode).toBe(doc.currencyCode)
      expect(invoice.totalAmountExcludingTax).toBeCloseTo(doc.netSum, 2)
      expect(invoice.totalAmountIncludingTax).toBeCloseTo(doc.grossSum, 2)
      const rows = [...doc.codingRows].sort((a: any, b: any) => a.rowIndex - b.rowIndex)
      const its = lines
        .filter((l) => l.documentId === invoice.id)
        .sort((a, b) => a.sequence - b.sequence)
        .map((l) => ({
          account: l.lineObjectNumber,
          amount: cents(l.amountExcludingTax),
          dims: dimensionsOf(l),
        }))
      expect(its).toEqual(
        rows.map((r: any) => ({
          account: r.accountCode,
          amount: r.netTotal,
          dims: { DEPARTMENT: r.costCenterCode, PROJECT: r.projectCode },
        })),
      )
      currencies.add(doc.currencyCode)
      if (rows.length > 1) multiRow++
      const responses = doc.transferResponses as Record<string, any>[]
      expect(responses).toHaveLength(1)
      expect(responses[0]).toMatchObject({ success: true, voucherNumber1: invoice.number })
      expect(transfers(source)).toHaveLength(1)
      expect(doc.processingStatus).toBe('Transferred')
    }
    expect([...currencies].sort()).toEqual(['USD', 'VND'])
    expect(multiRow).toBeGreaterThan(20)
  })

  it('an invoice BC shows Paid gets exactly one payment response with the paid total', {
    timeout: 200_000,
  }, async () => {
    const transferred = (await env.basware('GET', 'documents?processingStatus=Transferred'))
      .invoiceIds as string[]
    const picked = [] as { invoiceId: string; doc: Record<string, any> }[]
    for (const invoiceId of transferred) {
      const { document } = await documentOf(invoiceId)
      if (!picked.some((p) => p.doc.currencyCode === document.currencyCode))
        picked.push({ invoiceId, doc: document })
      if (picked.length === 2) break
    }
    // Pay them as BC users do: a vendor payment journal line applied to the invoice, then post the journal.
    const payments = connectors['business-central'].streams.vendorPayments!
    const { ctx } = await env.service.engine.deps.contexts.get(env.bindings.bc!)
    const bcCtx = ctx as unknown as Parameters<NonNullable<typeof payments.write>>[0]
    const invoices = await bcInvoices()
    const paid = picked.map(({ invoiceId, doc }) => ({
      invoiceId,
      bc: invoices.find((i) => i.number === doc.voucherNumber1)!,
    }))
    let written = { id: '' }
    for (const { bc } of paid) {
      written = (await payments.write!(bcCtx, {
        operation: 'create',
        record: {
          vendorNumber: bc.vendorNumber,
          appliesToInvoiceId: bc.id,
          amount: bc.totalAmountIncludingTax,
          description: `Thanh toán ${bc.vendorInvoiceNumber}`,
        },
        idempotencyKey: `pay-${bc.id}`,
      })) as { id: string }
    }
    await payments.actions!.post!.run(bcCtx, { id: written.id })
    const after = await bcInvoices()
    for (const { bc } of paid) expect(after.find((i) => i.id === bc.id)!.status).toBe('Paid')

    const answered = async () => {
      await env.runAndSettle(PAYMENTS)
      for (const { invoiceId, bc } of paid) {
        const { document } = await documentOf(invoiceId)
        expect(document.paymentResponses).toHaveLength(1)
        expect(document.paymentResponses[0]).toMatchObject({
          success: true,
          paidTotal: cents(bc.totalAmountIncludingTax),
        })
        expect(document.paymentResponses[0].paidTotal).toBeCloseTo(document.grossSum, 2)
        expect(document.processingStatus).toBe('Paid')
      }
    }
    await answered()
    const records = await env.records(PAYMENTS)
    for (const { bc } of paid)
      expect(records.find((r) => r.sourceKey === `${bc.id}|Paid`)?.state).toBe('delivered')
    // Invoices BC paid that never came from Basware (the sandbox's own history) are skipped, not failed.
    const others = records.filter((r) => r.state !== 'delivered')
    expect(others.length).toBeGreaterThan(0)
    for (const r of others) expect(r.state).toBe('skipped')
    // A second run (BC re-reads its newest change) sends nothing more.
    await answered()
  })

  it('a closed BC period fails invoices with BC’s message; reopened and replayed by filter, each posts once', {
    timeout: 300_000,
  }, async () => {
    await env.bc('POST', 'faults', { closedBefore: '2100-01-01' })
    const { invoiceIds: seeded } = await env.basware('POST', 'documents', { count: 20 })
    expect(seeded).toHaveLength(20)
    const failedRun = await env.runAndSettle(INVOICES)
    const failed = failedRun.filter((r) => seeded.includes(r.sourceKey))
    expect(failed.map((r) => r.state)).toEqual(Array(20).fill('failed'))
    for (const r of failed)
      expect((r.error as { remoteMessage?: string }).remoteMessage).toContain(CLOSED_MESSAGE)
    for (const id of seeded) {
      const { document } = await documentOf(id)
      expect(document.processingStatus).toBe('TransferFailed')
      expect(document.transferResponses).toHaveLength(1)
      expect(document.transferResponses[0]).toMatchObject({ success: false })
      // BC's message verbatim, with the CorrelationId BC appends (support needs it), as in the ledger.
      const record = failed.find((r) => r.sourceKey === id)!
      expect(document.transferResponses[0].responseMessage).toBe(
        (record.error as { remoteMessage?: string }).remoteMessage,
      )
      expect(document.transferResponses[0].responseMessage.startsWith(CLOSED_MESSAGE)).toBe(true)
    }

    await env.bc('POST', 'faults', {})
    const flow = env.flowId(INVOICES)
    const replay = await env.api('POST', '/v1/records/replay', {
      filter: { flowId: flow, state: 'failed' },
      version: 'latest',
    })
    expect(replay.queued).toBe(20)
    await waitFor(
      'the replayed invoices delivered',
      async () =>
        (await env.records(INVOICES)).filter((r) => seeded.includes(r.sourceKey) && r.state === 'delivered')
          .length === 20,
      240_000,
    )
    const invoices = await bcInvoices()
    for (const id of seeded) {
      const { document, history } = await documentOf(id)
      const posted = invoices.filter(
        (i) => i.vendorNumber === document.supplierCode && i.vendorInvoiceNumber === document.invoiceNumber,
      )
      expect(posted).toHaveLength(1)
      expect(posted[0]!.status).toBe('Open')
      expect(document.transferResponses.map((r: { success: boolean }) => r.success)).toEqual([false, true])
      expect(document.transferResponses[1].voucherNumber1).toBe(posted[0]!.number)
      expect(history.filter((h) => h.action.startsWith('transfer')).map((h) => h.success)).toEqual([
        false,
        true,
      ])
    }
  })
})

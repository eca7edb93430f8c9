import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMisaRecipeBench } from './misa-recipe-harness.ts'

describe('basware-misa end to end: approved Basware invoices → MISA, and Basware hears the outcome', () => {
  let b: Awaited<ReturnType<typeof startMisaRecipeBench>>
  let flowId: string

  beforeAll(async () => {
    b = await startMisaRecipeBench('basware-misa-e2e', ['basware', 'misa'])
    const flows = await b.enableRecipe('basware-misa', await b.connect())
    flowId = flows['basware-invoices-to-misa']!
  }, 120_000)
  afterAll(() => b?.stop())

  it('each approved invoice becomes a MISA voucher and Basware gets a transfer response for it', async () => {
    // Coders picked MISA's VAS accounts (what accounts-to-basware publishes): these must all go through.
    const { invoiceIds: vasCoded }: { invoiceIds: string[] } = await b.control('basware', 'documents', {
      count: 20,
      chart: 'vas',
    })
    // The demo seed's own invoices are coded on BC's chart, which MISA's lacks: MISA refuses those.
    const waiting: { count: number } = await b.control(
      'basware',
      'documents?processingStatus=WaitingForTransfer',
    )
    expect(waiting.count).toBeGreaterThan(vasCoded.length)
    await b.api('POST', `/v1/flows/${flowId}/enable`)
    await b.api('POST', `/v1/flows/${flowId}/run`)
    const records = await b.settled(flowId, waiting.count, 180_000)
    const proposals: { orgRefid: string; status: string; error?: { message: string } }[] = await b.control(
      'misa',
      'proposals',
    )
    let refused = 0
    for (const record of records) {
      const { document, history } = await b.control('basware', `documents/${record.sourceKey}`)
      const responses = JSON.stringify(history)
      const proposal = proposals.find((p) => p.orgRefid === record.sourceKey)
      if (vasCoded.includes(record.sourceKey)) {
        expect(record.state).toBe('delivered')
        // MISA's callback settled it (no callback was dropped here).
        const { ledger } = (await b.api('GET', `/v1/records/${record.id}`)).json
        expect(ledger.filter((e: any) => e.type === 'outcome').map((e: any) => e.data.via)).toEqual([
          'callback',
        ])
        expect(proposal?.status).toBe('accepted')
        expect(responses).toContain('"action":"transferSucceeded"')
        expect(responses).not.toContain('"action":"transferFailed"')
        expect(document.processingStatus).toBe('Transferred')
      } else if (record.state === 'failed') {
        refused++
        expect(proposal?.status).toBe('failed')
        expect(JSON.stringify(record.error)).toContain(proposal!.error!.message)
        expect(responses).toContain('"action":"transferFailed"')
      }
    }
    expect(records.filter((r) => vasCoded.includes(r.sourceKey))).toHaveLength(vasCoded.length)
    expect(refused).toBeGreaterThan(0)
  }, 240_000)
})

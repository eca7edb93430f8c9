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
    const waiting: { ids?: string[]; count: number } = await b.control(
      'basware',
      'documents?processingStatus=WaitingForTransfer',
    )
    expect(waiting.count).toBeGreaterThan(0)
    await b.api('POST', `/v1/flows/${flowId}/enable`)
    await b.api('POST', `/v1/flows/${flowId}/run`)
    const records = await b.settled(flowId, waiting.count, 180_000)
    const proposals: { orgRefid: string; status: string; error?: { message: string } }[] = await b.control(
      'misa',
      'proposals',
    )
    for (const record of records) {
      const { document, history } = await b.control('basware', `documents/${record.sourceKey}`)
      const responses = JSON.stringify(history)
      const proposal = proposals.find((p) => p.orgRefid === record.sourceKey)
      if (record.state === 'delivered') {
        expect(proposal?.status).toBe('accepted')
        expect(responses).toContain('"action":"transferSucceeded"')
        expect(document.processingStatus).not.toBe('WaitingForTransfer')
      } else {
        // MISA refused it (the demo's Basware coding uses accounts MISA's chart lacks): the record
        // carries MISA's message and Basware got a failed transfer response.
        expect(record.state).toBe('failed')
        expect(proposal?.status).toBe('failed')
        expect(JSON.stringify(record.error)).toContain(proposal!.error!.message)
        expect(responses).toContain('"action":"transferFailed"')
      }
    }
    expect(records.filter((r) => r.state === 'delivered').length).toBeGreaterThan(0)
  }, 240_000)
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import { type ReconcileTenant, startReconcileTenant } from '../reconcile/reconcile-environment.ts'
import { waitFor } from '../support/wait-for.ts'

const INVOICES = 'basware-invoices-to-bc'
const INVOICE_FLOW = `bc-basware-${INVOICES}`
const SAMPLE = 300
const KEYED = 240
const nextDay = (day: string, n = 1) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

type Invoice = Record<string, any>

/**
 * The go-live the seeds describe: the recipe runs in shadow over a sample period of 300 Basware
 * invoices while a clerk keys 240 of them into BC by hand, with 12 mistakes. The reconciliation of the
 * period finds exactly those mistakes, the 60 not keyed and the one keyed twice; the shadow run writes
 * nothing to BC and sends nothing to Basware. Going live then links the 240 keyed invoices (no second
 * posting, one transfer response each) and posts the 60 others once each.
 */
describe('go-live: a sample period in shadow, reconciled, then cut over', () => {
  let env: ReconcileTenant
  let shadowRecords: { id: string; sourceKey: string; mapped: Invoice; state: string }[]
  let period: { from: string; to: string }
  let clerkWrites: { bc: number; basware: number }
  const keyedTwice = { invoice: '' }
  const mistakes = new Map<string, string>()

  beforeAll(async () => {
    // The sandboxes answer at once; BC's request budget is not what this test is about.
    env = await startReconcileTenant('golive-sample', { limitsFor: () => undefined, baswareSeed: 'empty' })
    const shadow = await env.call('POST', '/v1/recipes/bc-basware/shadow')
    expect(shadow.status).toBe(200)
    expect(shadow.json.items.every((f: { mode: string }) => f.mode === 'shadow')).toBe(true)
    await env.basware('POST', 'documents', { count: SAMPLE })
    const before = await env.writes()
    const settled = await env.runAndSettle(INVOICES, 400_000)
    expect(await env.writes()).toEqual(before)
    shadowRecords = (
      await env.t.db
        .selectFrom('records')
        .select(['id', 'sourceKey', 'mapped', 'state', 'seq'])
        .where('flowId', '=', env.flowId(INVOICES))
        .orderBy('seq')
        .execute()
    ).map((r) => ({ ...r, mapped: r.mapped as Invoice }))
    expect(settled).toHaveLength(SAMPLE)
    const days = shadowRecords.map((r) => r.mapped.postingDate as string).sort()
    period = { from: days[0]!, to: nextDay(days.at(-1)!, 3) }
  }, 600_000)
  afterAll(() => env?.stop())

  it('the shadow run maps, looks up and checks every invoice, and writes nothing anywhere', async () => {
    expect(shadowRecords.map((r) => r.state)).toEqual(Array(SAMPLE).fill('shadowed'))
    // Kept apart: the live list shows none of them, the shadow list all.
    const live = await env.call('GET', `/v1/records?flow=${env.flowId(INVOICES)}&limit=500`)
    expect(live.json.items).toEqual([])
    const shadow = await env.call('GET', `/v1/records?flow=${env.flowId(INVOICES)}&shadow=true&limit=500`)
    expect(shadow.json.items).toHaveLength(SAMPLE)
    expect(shadow.json.items.every((r: { shadow: boolean }) => r.shadow)).toBe(true)
    const detail = await env.call('GET', `/v1/records/${shadowRecords[0]!.id}`)
    const types = detail.json.ledger.map((e: { type: string }) => e.type)
    expect(types).toEqual(expect.arrayContaining(['mapped', 'not_found', 'prechecked', 'would_write']))
    expect(types).not.toContain('written')
    expect(detail.json.ledger.find((e: { type: string }) => e.type === 'would_write').data).toMatchObject({
      operation: 'create',
      actions: ['post'],
    })
    const flow = await env.call('GET', `/v1/flows/${env.flowId(INVOICES)}`)
    expect(flow.json.mode).toBe('shadow')
  })

  it('reconciling the sample period finds the 12 mistakes, the 60 not keyed and the duplicate', {
    timeout: 400_000,
  }, async () => {
    const { ctx } = await env.service.engine.deps.contexts.get(env.bindings.bc!)
    const bcInvoices = connectors['business-central'].streams.purchaseInvoices!
    const vendors = [...new Set(shadowRecords.map((r) => r.mapped.vendorNumber as string))]
    const key = async (invoice: Invoice, idempotencyKey: string) => {
      const draft = await bcInvoices.write!(ctx as never, {
        operation: 'create',
        record: invoice,
        idempotencyKey,
      })
      if (draft.status !== 'done') throw new Error(`the clerk could not key ${invoice.vendorInvoiceNumber}`)
      await bcInvoices.actions!.post!.run(ctx as never, { id: draft.id })
    }
    const mistake = (i: number, invoice: Invoice): Invoice => {
      const copy = structuredClone(invoice)
      const line = copy.purchaseInvoiceLines[0]
      const set = (what: string) => mistakes.set(String(invoice.vendorInvoiceNumber), what)
      if (i < 3) {
        line.unitCost = Math.round(line.unitCost * 1.1)
        set('amount')
      } else if (i < 5) {
        line.lineObjectNumber = line.lineObjectNumber === '6422' ? '6411' : '6422'
        set('account')
      } else if (i < 7) {
        if (line.dimensionSetLines?.length) line.dimensionSetLines = line.dimensionSetLines.slice(1)
        else copy.dimensionSetLines = copy.dimensionSetLines.slice(1)
        set('dimension')
      } else if (i < 9) {
        copy.vendorNumber = vendors.find((v) => v !== invoice.vendorNumber)
        set('vendor')
      } else if (i < 11) {
        copy.postingDate = nextDay(copy.postingDate)
        set('date')
      }
      return copy
    }
    const keyed = shadowRecords.slice(0, KEYED)
    for (const [i, record] of keyed.entries()) {
      await key(i < 11 ? mistake(i, record.mapped) : record.mapped, `clerk-${record.sourceKey}`)
      if (i === 11) {
        // Keyed a second time with the zeros left out: BC's exact duplicate check lets it through.
        keyedTwice.invoice = record.mapped.vendorInvoiceNumber
        await key(
          { ...record.mapped, vendorInvoiceNumber: keyedTwice.invoice.replace(/0+(?=[1-9])/, '') },
          `clerk-twice-${record.sourceKey}`,
        )
      }
    }
    clerkWrites = await env.writes()

    const { row, items } = await env.reconcile({ flow: env.flowId(INVOICES), ...period })
    expect(await env.writes()).toEqual(clerkWrites)
    expect(row.counts).toEqual({
      matched: KEYED - 12,
      differs: 11,
      not_in_target: SAMPLE - KEYED,
      not_from_ferry: 0,
      posted_twice: 1,
    })
    const differs = items.filter((i) => i.class === 'differs')
    const byReference = new Map(differs.map((i) => [i.reference, i]))
    expect([...byReference.keys()].sort()).toEqual([...mistakes.keys()].sort())
    const fieldsOf = (reference: string) =>
      (byReference.get(reference)!.differences as { field: string; kind: string }[])
        .map((d) => d.field)
        .join(' ')
    for (const [reference, what] of mistakes) {
      const fields = fieldsOf(reference)
      if (what === 'amount') expect(fields).toMatch(/net|gross|amount/)
      if (what === 'account') expect(fields).toMatch(/account/)
      if (what === 'dimension') expect(fields).toMatch(/dimension/)
      if (what === 'vendor') expect(fields).toMatch(/party/)
      if (what === 'date') expect(fields).toMatch(/postingDate/)
    }
    expect(items.find((i) => i.class === 'posted_twice')!.reference).toBe(keyedTwice.invoice)
    const notKeyed = items
      .filter((i) => i.class === 'not_in_target')
      .map((i) => i.sourceKey)
      .sort()
    expect(notKeyed).toEqual(
      shadowRecords
        .slice(KEYED)
        .map((r) => r.sourceKey)
        .sort(),
    )
  })

  it('going live links the 240 keyed invoices and posts the 60 others once each', {
    timeout: 400_000,
  }, async () => {
    const posted = async () =>
      ((await env.bc('GET', 'state/purchaseInvoices')) as Invoice[]).filter((i) => i.status !== 'Draft')
    const postedBefore = (await posted()).length
    const dry = await env.call('POST', '/v1/recipes/bc-basware/go-live?dryRun=true')
    expect(dry.status).toBe(200)
    const plan = dry.json.items.find((r: { flowName: string }) => r.flowName === INVOICE_FLOW)
    expect(plan.linked).toHaveLength(KEYED)
    expect(plan.toWrite).toHaveLength(SAMPLE - KEYED)
    expect(
      plan.linked.filter((l: { reason?: string }) => l.reason?.startsWith('paired by the reconciliation')),
    ).toHaveLength(2)
    expect(await env.writes()).toEqual(clerkWrites)

    const live = await env.call('POST', '/v1/recipes/bc-basware/go-live')
    expect(live.status).toBe(200)
    const report = live.json.items.find((r: { flowName: string }) => r.flowName === INVOICE_FLOW)
    expect(report.linked.map((l: { recordId: string }) => l.recordId).sort()).toEqual(
      plan.linked.map((l: { recordId: string }) => l.recordId).sort(),
    )
    await waitFor(
      'every invoice to be delivered live',
      async () => (await env.records(INVOICES)).every((r) => r.state === 'delivered'),
      300_000,
    )
    const records = await env.records(INVOICES)
    expect(records).toHaveLength(SAMPLE)

    // BC: no second posting of a keyed invoice; each of the 60 posted once.
    const bc = (await env.bc('GET', 'state/purchaseInvoices')) as Invoice[]
    const postedFor = (reference: string) =>
      bc.filter((i) => i.status !== 'Draft' && i.vendorInvoiceNumber === reference).length
    for (const r of shadowRecords)
      expect(postedFor(r.mapped.vendorInvoiceNumber), r.mapped.vendorInvoiceNumber).toBe(1)
    expect((await posted()).length - postedBefore).toBe(SAMPLE - KEYED)

    // Basware: one transfer response per invoice, linked or posted.
    for (const r of shadowRecords) {
      const doc = (await env.basware('GET', `documents/${r.sourceKey}`)) as { document: Invoice }
      expect(doc.document.transferResponses, r.sourceKey).toHaveLength(1)
    }
    // A linked invoice carries the clerk's number; the flow is live.
    const linked = new Map(records.map((r) => [r.id, r]))
    for (const l of report.linked) expect(linked.get(l.recordId)!.targetNumber).toBe(l.targetNumber)
    expect((await env.call('GET', `/v1/flows/${env.flowId(INVOICES)}`)).json.mode).toBe('live')
  })
})

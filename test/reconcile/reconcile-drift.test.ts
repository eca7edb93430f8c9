import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acknowledge } from '../../connectors/basware/acknowledge.ts'
import { connectors } from '../../connectors/index.ts'
import { reconcileCommand } from '../../runtime/cli/reconcile-command.ts'
import { startDueReconciliations } from '../../runtime/queue/start-due-reconciliations.ts'
import { setReconcileScheduleNext } from '../../runtime/store/reconcile-schedules-store.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { waitFor } from '../support/wait-for.ts'
import { type ReconcileTenant, startReconcileTenant } from './reconcile-environment.ts'

const INVOICES = 'basware-invoices-to-bc'
// Flows a recipe installs are named after the recipe.
const INVOICE_FLOW = `bc-basware-${INVOICES}`
const CREDIT_FLOW = 'bc-basware-basware-credit-notes-to-bc'
const PAYMENT_FLOW = 'bc-basware-bc-payments-to-basware'
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

/**
 * Live running: the recipe posts Basware invoices to BC, then things happen behind Ferry's back — an
 * invoice cancelled in BC, one keyed twice, one keyed by hand with no Basware document, a payment
 * response posted in Basware by someone else, invoices approved but not yet transferred. The next
 * reconciliation of the day reports exactly those, reading and never writing.
 */
describe('reconciliation of a live bc-basware tenant: drift after go-live', () => {
  let env: ReconcileTenant
  let period: { from: string; to: string }
  let posted: Record<string, any>[]
  let cancelledNumber: string
  let duplicated: string
  let waiting: string[]

  beforeAll(async () => {
    env = await startReconcileTenant('reconcile-drift')
    await env.basware('POST', 'documents', { count: 8 })
    const records = await env.runAndSettle(INVOICES)
    expect(records.filter((r) => r.state !== 'delivered')).toEqual([])
    // No scheduled run may deliver what the test leaves waiting.
    await env.api('POST', `/v1/flows/${env.flowId(INVOICES)}/disable`)
    const invoices = (await env.bc('GET', 'state/purchaseInvoices')) as Record<string, any>[]
    const ids = new Set(records.map((r) => r.targetId))
    posted = invoices.filter((i) => ids.has(i.id))
    const days = posted.map((i) => i.postingDate as string).sort()
    period = { from: days[0]!, to: nextDay(days.at(-1)!) }

    // Behind Ferry's back: a reversal, a second keying with the zeros left out, a hand-keyed invoice.
    const [cancelled, twice] = posted
    cancelledNumber = cancelled!.number
    await env.bc('POST', `purchaseInvoices/${cancelled!.id}/cancel`, {})
    duplicated = twice!.vendorInvoiceNumber
    const { ctx } = await env.service.engine.deps.contexts.get(env.bindings.bc!)
    const bcInvoices = connectors['business-central'].streams.purchaseInvoices!
    const line = {
      lineType: 'Account',
      lineObjectNumber: '6427',
      quantity: 1,
      unitCost: 2_000_000,
      taxCode: 'VAT10',
    }
    for (const [vendorNumber, vendorInvoiceNumber] of [
      [twice!.vendorNumber, duplicated.replace(/0+(?=[1-9])/, '')],
      ['V0030', 'HAND-0001'],
    ]) {
      const draft = await bcInvoices.write!(ctx as never, {
        operation: 'create',
        record: {
          vendorNumber,
          vendorInvoiceNumber,
          invoiceDate: period.from,
          postingDate: period.from,
          purchaseInvoiceLines: [line],
        },
        idempotencyKey: `clerk-${vendorInvoiceNumber}`,
      })
      if (draft.status !== 'done') throw new Error('the clerk could not key the invoice')
      await bcInvoices.actions!.post!.run(ctx as never, { id: draft.id })
    }
    // A payment response someone else posted on a transferred invoice.
    const transferred = records[2]!.sourceKey
    const bw = await env.service.engine.deps.contexts.get(env.bindings.basware!)
    await acknowledge.paymentResponse!.send(bw.ctx as never, {
      record: { invoiceId: transferred },
      payload: { success: true, paidTotal: 1000, paymentDate: period.from, paymentBlock: false },
      idempotencyKey: 'paid-outside-ferry',
    })
    // Approved in Basware, not transferred yet.
    waiting = (
      await env.basware('POST', 'documents', {
        documents: (
          await Promise.all(records.slice(0, 2).map((r) => env.basware('GET', `documents/${r.sourceKey}`)))
        ).map((d: any, i) => ({
          ...d.document,
          invoiceId: `waiting${i}`,
          invoiceNumber: `1C26TZZ00000${i}`,
          processingStatus: 'WaitingForTransfer',
          transferResponses: [],
        })),
      })
    ).invoiceIds
  }, 400_000)
  afterAll(() => env?.stop())

  it('finds the reversal, the second keying, the hand-keyed invoice, the outside payment and what is not transferred yet; it writes nothing', {
    timeout: 300_000,
  }, async () => {
    const before = await env.writes()
    const { row, items } = await env.reconcile({ recipe: 'bc-basware', ...period })
    expect(await env.writes()).toEqual(before)

    const byFlow = Object.fromEntries(row.flows.map((f: any) => [f.flowName, f]))
    expect(Object.keys(byFlow).sort()).toEqual([CREDIT_FLOW, INVOICE_FLOW, PAYMENT_FLOW])
    expect(byFlow[INVOICE_FLOW].targetView).toBe('read')
    expect(byFlow[INVOICE_FLOW].counts).toEqual({
      matched: posted.length - 2,
      differs: 1,
      not_in_target: 2,
      not_from_ferry: 1,
      posted_twice: 1,
    })
    const of = (flow: string, cls: string) =>
      items.filter((i) => i.flowId === byFlow[flow].flowId && i.class === cls)
    expect(of(INVOICE_FLOW, 'differs')[0]).toMatchObject({
      targetNumbers: [cancelledNumber],
      differences: [{ field: 'status', expected: 'posted', actual: 'reversed', kind: 'mistake' }],
    })
    expect(of(INVOICE_FLOW, 'posted_twice')[0].reference).toBe(duplicated)
    expect(of(INVOICE_FLOW, 'posted_twice')[0].targetNumbers).toHaveLength(2)
    expect(of(INVOICE_FLOW, 'not_from_ferry')[0]).toMatchObject({ party: 'V0030', reference: 'HAND-0001' })
    expect(
      of(INVOICE_FLOW, 'not_in_target')
        .map((i) => i.sourceKey)
        .sort(),
    ).toEqual([...waiting].sort())
    // The corrective credit memo and the outside payment are in the targets, and nothing in Ferry explains them.
    expect(byFlow[CREDIT_FLOW].counts.not_from_ferry).toBe(1)
    expect(byFlow[PAYMENT_FLOW].counts).toMatchObject({ not_from_ferry: 1, matched: 0 })
    expect(of(PAYMENT_FLOW, 'not_from_ferry')[0].amount).toBe(1000)
    expect(row.counts).toEqual({
      matched: posted.length - 2,
      differs: 1,
      not_in_target: 2,
      not_from_ferry: 3,
      posted_twice: 1,
    })

    // The CSV: one row per document, a column per differing field.
    const csv = await env.call('GET', `/v1/reconciliations/${row.id}/csv`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines).toHaveLength(items.length + 1)
    expect(lines[0]).toContain(',status')
    expect(lines.find((l) => l.includes(cancelledNumber))).toContain('posted → reversed')

    // The gauge of unreconciled documents.
    const metrics = await env.call('GET', '/metrics')
    expect(metrics.text).toContain(
      `ferry_unreconciled_documents{flow="${INVOICE_FLOW}",class="posted_twice"} 1`,
    )
    expect(metrics.text).toContain(
      `ferry_unreconciled_documents{flow="${PAYMENT_FLOW}",class="not_from_ferry"} 1`,
    )
  })

  it('`ferry reconcile` prints the summary and what is not matched, and exits 1', {
    timeout: 300_000,
  }, async () => {
    const run = await env.cli(reconcileCommand, 'bc-basware', '--from', period.from, '--to', period.to)
    expect(run.code).toBe(1)
    expect(run.out).toMatch(
      /FLOW\s+TARGET\s+MATCHED\s+DIFFERS\s+NOT IN TARGET\s+NOT FROM FERRY\s+POSTED TWICE/,
    )
    expect(run.out).toMatch(new RegExp(`${INVOICE_FLOW}\\s+read\\s+${posted.length - 2}\\s+1\\s+2\\s+1\\s+1`))
    expect(run.out).toContain('status posted → reversed')
    expect(run.out).toContain('HAND-0001')

    const clean = await env.cli(reconcileCommand, INVOICE_FLOW, '--from', '2001-01-01', '--to', '2001-01-02')
    expect(clean.out).toMatch(new RegExp(`${INVOICE_FLOW}\\s+read\\s+0\\s+0\\s+0\\s+0\\s+0`))
    expect(clean.code).toBe(0)
  })

  it('a daily schedule reconciles the sample period so far, once per day', { timeout: 300_000 }, async () => {
    const put = await env.call('PUT', '/v1/reconciliation-schedules', {
      recipe: 'bc-basware',
      period: { since: period.from },
      at: '06:00',
    })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ recipe: 'bc-basware', at: '06:00', timezone: 'Asia/Ho_Chi_Minh' })
    // The day comes.
    await setReconcileScheduleNext(env.t.db, put.json.id, new Date('2000-01-01T00:00:00Z'))
    expect(await startDueReconciliations(env.t.db, env.service.boss)).toBe(1)
    expect(await startDueReconciliations(env.t.db, env.service.boss)).toBe(0)
    const [row] = (await env.call('GET', '/v1/reconciliations?recipe=bc-basware&limit=1')).json.items
    expect(row).toMatchObject({ trigger: 'schedule', periodFrom: period.from })
    const done = await waitFor(
      'the scheduled reconciliation to finish',
      async () => {
        const r = (await env.call('GET', `/v1/reconciliations/${row.id}`)).json
        return r.state === 'done' && r
      },
      240_000,
    )
    expect(done.counts.posted_twice).toBe(1)
    const [schedule] = (await env.call('GET', '/v1/reconciliation-schedules')).json.items
    expect(Date.parse(schedule.nextAt)).toBeGreaterThan(Date.parse('2000-01-02T00:00:00Z'))
    expect((await env.call('DELETE', `/v1/reconciliation-schedules/${schedule.id}`)).status).toBe(204)
    const badZone = await env.call('PUT', '/v1/reconciliation-schedules', {
      recipe: 'bc-basware',
      period: { days: 7 },
      at: '06:00',
      timezone: 'Mars/Olympus',
    })
    expect([badZone.status, badZone.json.errors[0].pointer]).toEqual([422, '/timezone'])
  })

  it('another tenant sees none of it', async () => {
    const [mine] = (await env.call('GET', '/v1/reconciliations?limit=1')).json.items
    const other = await ensureTenant(env.t.db, 'reconcile-drift-other')
    const { key } = await issueApiKey(env.t.db, { role: 'tenant', tenantId: other.id })
    for (const path of [
      `/v1/reconciliations/${mine.id}`,
      `/v1/reconciliations/${mine.id}/items`,
      `/v1/reconciliations/${mine.id}/csv`,
    ]) {
      const res = await env.callAs(key, 'GET', path)
      expect([path, res.status]).toEqual([path, 404])
    }
    expect((await env.callAs(key, 'GET', '/v1/reconciliations')).json.items).toEqual([])
    const metrics = await env.callAs(key, 'GET', '/metrics')
    expect(metrics.text).not.toContain('ferry_unreconciled_documents{')
  })

  it('refuses a bad period or scope with problem+json naming the field', async () => {
    const bad = await env.call('POST', '/v1/reconciliations', {
      recipe: 'bc-basware',
      from: '2026-11-31',
      to: '2026-11-01',
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors).toEqual([
      { pointer: '/from', detail: 'must be a date yyyy-mm-dd (got "2026-11-31")' },
    ])
    const reversed = await env.call('POST', '/v1/reconciliations', {
      recipe: 'bc-basware',
      from: '2026-11-02',
      to: '2026-11-01',
    })
    expect(reversed.json.errors).toEqual([{ pointer: '/to', detail: 'must be after from (to is exclusive)' }])
    const unknown = await env.call('POST', '/v1/reconciliations', {
      recipe: 'nope',
      from: '2026-11-01',
      to: '2026-11-02',
    })
    expect([unknown.status, unknown.json.errors[0].pointer]).toEqual([422, '/recipe'])
    const both = await env.call('POST', '/v1/reconciliations', { from: '2026-11-01', to: '2026-11-02' })
    expect(both.status).toBe(422)
  })
})

/**
 * The sandbox's own API under `/__sandbox/`: reset and seed data, configure limits, faults and
 * behaviour settings, manage app registrations and tokens, flush webhooks, and read state and
 * statistics for assertions. Documented in the connector's README.
 */

import { Hono } from 'hono'
import type { EntraEmulator } from '../auth/entra-emulator.ts'
import { BcHttpError, errorBody } from '../protocol/bc-http-error.ts'
import type { RateLimiter } from '../protocol/rate-limiter.ts'
import { validatePayload } from '../protocol/validate-payload.ts'
import { toWire } from '../protocol/wire-record.ts'
import { cancelPostedInvoice } from '../rules/cancel-posted-invoice.ts'
import { invoiceKind } from '../rules/document-kinds.ts'
import { postDocument } from '../rules/posting.ts'
import { createDocument } from '../rules/purchase-documents.ts'
import { createVendor } from '../rules/vendors.ts'
import { emptyStats, noFaults, type SandboxState, type Settings } from '../state/sandbox-state.ts'
import { type Subscriptions, subscriptionWire } from '../webhooks/subscriptions.ts'
import type { WebhookNotifier } from '../webhooks/webhook-notifier.ts'
import { generateVendors } from './generate-vendors.ts'
import { produce } from './produce.ts'
import { mainCompanyId, seed } from './seed.ts'

/** What the control API acts on. */
export interface ControlDeps {
  state: SandboxState
  entra: EntraEmulator
  limiter: RateLimiter
  subscriptions: Subscriptions
  notifier: WebhookNotifier
  seedMode: 'demo' | 'empty'
}

/** Builds the `/__sandbox` routes. */
export function controlApi(deps: ControlDeps): Hono {
  const { state, entra, limiter, subscriptions, notifier } = deps
  const app = new Hono()
  const companyOf = (id?: string) => state.companies.get((id ?? mainCompanyId).toLowerCase())
  const body = async (c: { req: { text(): Promise<string> } }) => {
    const text = await c.req.text()
    return (text ? JSON.parse(text) : {}) as Record<string, any>
  }

  app.onError((error, c) => {
    if (error instanceof BcHttpError) return c.json(errorBody(error.code, error.message), error.status as 400)
    return c.json({ error: { code: 'SandboxError', message: String(error.message) } }, 400)
  })

  app.post('/reset', async (c) => {
    const b = await body(c)
    seed(state, b.seed ?? deps.seedMode)
    state.faults = noFaults()
    state.stats = emptyStats()
    limiter.config = {}
    subscriptions.byId.clear()
    return c.json({ ok: true })
  })

  app.post('/seed', async (c) => {
    const b = await body(c)
    const company = companyOf(b.company)
    if (!company) return c.json({ error: { code: 'SandboxError', message: 'unknown company' } }, 404)
    const manual = state.settings.manualVendorNumbers
    state.settings.manualVendorNumbers = true
    try {
      const vendors = ((b.vendors ?? []) as unknown[]).map(
        (v) => createVendor(state, company, validatePayload('vendors', v).fields).id,
      )
      const purchaseInvoices = ((b.purchaseInvoices ?? []) as Record<string, unknown>[]).map((input) => {
        const { post, ...doc } = input
        const invoice = createDocument(state, company, invoiceKind, doc)
        if (post) postDocument(state, company, invoiceKind, invoice)
        return invoice.id
      })
      return c.json({ vendors, purchaseInvoices })
    } finally {
      state.settings.manualVendorNumbers = manual
    }
  })

  // The Posted Purchase Invoice page's Cancel (a posted corrective credit memo): { postingDate?, company? }.
  app.post('/purchaseInvoices/:id/cancel', async (c) => {
    const b = await body(c)
    const company = companyOf(b.company)
    const invoice = company?.tables.purchaseInvoices?.get(c.req.param('id'))
    if (!company || !invoice) return c.json({ error: { code: 'SandboxError', message: 'not found' } }, 404)
    const memo = cancelPostedInvoice(state, company, invoice, { postingDate: b.postingDate })
    return c.json({ creditMemoId: memo.id, creditMemoNumber: memo.data.number })
  })

  // Many vendors at once (backfill benchmarks): { count, company? }.
  app.post('/vendors/generate', async (c) => {
    const b = await body(c)
    const company = companyOf(b.company)
    const count = Number(b.count)
    if (!company) return c.json({ error: { code: 'SandboxError', message: 'unknown company' } }, 404)
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
      return c.json({ error: { code: 'SandboxError', message: 'count must be an integer 1..1000000' } }, 400)
    return c.json(generateVendors(state, company, count))
  })

  app.post('/produce', async (c) => {
    const b = await body(c)
    produce(state, companyOf(b.company)!, Number(b.count ?? 1))
    return c.json({ ok: true })
  })

  app.post('/limits', async (c) => {
    const b = await body(c)
    limiter.config = {
      requests: b.requests,
      windowMs: b.windowMs,
      concurrency: b.concurrency,
      maxQueue: b.maxQueue,
      retryAfter: b.retryAfter,
    }
    return c.json(limiter.config)
  })

  app.post('/faults', async (c) => {
    const b = await body(c)
    const now = state.now().getTime()
    // A closed period is part of the fault set: replacing the set without it reopens the period.
    const closed = (state.faults as { closedBefore?: string }).closedBefore
    if (closed && !b.closedBefore && state.settings.allowPostingFrom === closed)
      state.settings.allowPostingFrom = undefined
    state.faults = {
      ...noFaults(),
      ...b,
      outageFrom: b.outageMs ? new Date(now).toISOString() : b.outageFrom,
      outageTo: b.outageMs ? new Date(now + b.outageMs).toISOString() : b.outageTo,
    }
    if ('allowPostingFrom' in b) state.settings.allowPostingFrom = b.allowPostingFrom ?? undefined
    if ('allowPostingTo' in b) state.settings.allowPostingTo = b.allowPostingTo ?? undefined
    if (b.closedBefore) state.settings.allowPostingFrom = b.closedBefore
    return c.json({
      faults: state.faults,
      allowPostingFrom: state.settings.allowPostingFrom,
      allowPostingTo: state.settings.allowPostingTo,
    })
  })

  app.post('/settings', async (c) => {
    Object.assign(state.settings, (await body(c)) as Partial<Settings>)
    return c.json(state.settings)
  })

  app.post('/apps', async (c) => {
    const b = await body(c)
    const existing = state.apps.get(b.clientId)
    const next = {
      clientId: b.clientId,
      clientSecret: b.clientSecret ?? existing?.clientSecret ?? 'secret',
      registeredInBc: b.registeredInBc ?? existing?.registeredInBc ?? true,
      consented: b.consented ?? existing?.consented ?? true,
    }
    state.apps.set(b.clientId, next)
    return c.json({ clientId: next.clientId, registeredInBc: next.registeredInBc, consented: next.consented })
  })

  app.post('/tokens/expire', (c) => {
    entra.expireAccessTokens()
    return c.json({ ok: true })
  })
  app.post('/tokens/revoke-refresh', (c) => {
    entra.revokeRefreshTokens()
    return c.json({ ok: true })
  })

  app.post('/webhooks/flush', async (c) => {
    await notifier.flush()
    return c.json({ ok: true })
  })

  app.get('/stats', (c) => c.json(state.stats))
  app.post('/stats/reset', (c) => {
    state.stats = emptyStats()
    return c.json({ ok: true })
  })

  app.get('/state/companies', (c) =>
    c.json([...state.companies.values()].map((co) => ({ id: co.id, name: co.name }))),
  )
  // Lets a test skip the three days: every subscription expires now (and is purged, as BC does).
  app.post('/subscriptions/expire', (c) => {
    const now = state.now().toISOString()
    for (const sub of subscriptions.byId.values()) sub.expirationDateTime = now
    subscriptions.purge()
    return c.json({ expired: true })
  })
  app.get('/state/subscriptions', (c) => {
    subscriptions.purge()
    return c.json(
      [...subscriptions.byId.values()].map((s) => ({ ...subscriptionWire(s), failures: s.failures })),
    )
  })
  app.get('/state/:set', (c) => {
    const company = companyOf(c.req.query('company'))
    const table = company?.tables[c.req.param('set')]
    if (!company || !table)
      return c.json({ error: { code: 'SandboxError', message: 'unknown company or entity set' } }, 404)
    return c.json(
      table.all().map((e) => ({ ...toWire(company, c.req.param('set'), e), '@sandbox.extra': e.extra })),
    )
  })
  app.get('/state/:set/:id', (c) => {
    const company = companyOf(c.req.query('company'))
    const entity = company?.tables[c.req.param('set')]?.get(c.req.param('id'))
    if (!company || !entity) return c.json({ error: { code: 'SandboxError', message: 'not found' } }, 404)
    return c.json({ ...toWire(company, c.req.param('set'), entity), '@sandbox.extra': entity.extra })
  })
  return app
}

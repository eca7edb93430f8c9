/**
 * The billing-system sandbox: a small emulator of a subscription billing system in the Work 365
 * pattern (a Microsoft CSP bills its customers there, and the invoices must become sales invoices in
 * Business Central). OAuth client credentials, a paged invoices API, signed webhooks with an endpoint
 * verification handshake, and the `/__sandbox` control API. Routes are mounted under `baseUrl`.
 */
import { Hono } from 'hono'
import type { Sandbox, SandboxOptions } from '../../../core/connector/sandbox.ts'
import { apiRoutes } from './api-routes.ts'
import { createBillingState, DEMO_CLIENT } from './billing-state.ts'
import { controlRoutes } from './control-routes.ts'
import { produceInvoices, seedBilling } from './seed-invoices.ts'
import { WebhookSender } from './webhook-sender.ts'

/** The signing secret the demo registers its webhook endpoint with. */
export const DEMO_WEBHOOK_SECRET = 'whsec_billing_demo_2f9c'

/** Starts a billing sandbox. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const base = new URL(options.baseUrl)
  const prefix = base.pathname.replace(/\/+$/, '')
  const state = createBillingState(options.now ?? (() => new Date()))
  const sender = new WebhookSender(state, options.fetch ?? globalThis.fetch)
  seedBilling(state, { invoices: options.seed !== 'empty' })

  const app = new Hono()
  apiRoutes(app, state)
  controlRoutes(app, state, sender)
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  )

  return {
    async fetch(request) {
      const url = new URL(request.url)
      if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`))
        return new Response('Not Found', { status: 404 })
      url.pathname = url.pathname.slice(prefix.length) || '/'
      return app.fetch(new Request(url, request))
    },
    connectionConfig() {
      return {
        baseUrl: `${base.origin}${prefix}`,
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        webhookSecret: DEMO_WEBHOOK_SECRET,
      }
    },
    produce: (count) => produceInvoices(state, sender, count),
    async close() {
      sender.close()
    },
  }
}

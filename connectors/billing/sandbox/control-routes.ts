/**
 * The sandbox control API under `/__sandbox`: register the webhook endpoint (verified by challenge),
 * issue and change invoices (each announced by a signed event), resend an event, inject faults, and
 * inspect the events with their delivery attempts.
 */
import type { Hono } from 'hono'
import type { BillingState, InvoiceLine } from './billing-state.ts'
import { createInvoice, setStatus } from './billing-state.ts'
import { produceInvoices } from './seed-invoices.ts'
import type { WebhookSender } from './webhook-sender.ts'

/** Mounts the control routes. */
export function controlRoutes(app: Hono, state: BillingState, sender: WebhookSender): void {
  app.post('/__sandbox/webhooks', async (c) => {
    const { url, secret } = await c.req.json<{ url: string; secret: string }>()
    const endpoint = await sender.register(url, secret)
    return c.json({ url: endpoint.url, verified: endpoint.verified })
  })

  app.post('/__sandbox/invoices', async (c) => {
    const body = await c.req.json<{
      customerId: string
      lines: Omit<InvoiceLine, 'id' | 'amount'>[]
      issueDate?: string
      finalize?: boolean
    }>()
    if (!state.customers.has(body.customerId)) return c.json({ error: `no customer ${body.customerId}` }, 404)
    const invoice = createInvoice(state, body.customerId, body.lines, { issueDate: body.issueDate })
    if (body.finalize !== false) {
      setStatus(state, invoice, 'finalized')
      await sender.emit('invoice.finalized', { object: invoice })
    }
    return c.json(invoice, 201)
  })

  // A change announced by id only (the receiver reads the invoice again).
  app.post('/__sandbox/invoices/:id/status', async (c) => {
    const invoice = state.invoices.get(c.req.param('id'))
    if (!invoice) return c.json({ error: 'no such invoice' }, 404)
    const { status } = await c.req.json<{ status: 'paid' | 'void' | 'finalized' }>()
    setStatus(state, invoice, status)
    await sender.emit('invoice.updated', { id: invoice.id })
    return c.json(invoice)
  })

  app.post('/__sandbox/customers/:id', async (c) => {
    const customer = state.customers.get(c.req.param('id'))
    if (!customer) return c.json({ error: 'no such customer' }, 404)
    Object.assign(customer, await c.req.json())
    return c.json(customer)
  })

  app.get('/__sandbox/events', (c) => c.json(state.events))

  app.post('/__sandbox/events/:id/redeliver', async (c) => {
    const event = state.events.find((e) => e.id === c.req.param('id'))
    if (!event) return c.json({ error: 'no such event' }, 404)
    await sender.redeliver(event)
    return c.json(event)
  })

  app.post('/__sandbox/faults', async (c) => {
    state.faults = await c.req.json()
    return c.json(state.faults)
  })

  app.post('/__sandbox/produce', async (c) => {
    const { count } = await c.req.json<{ count?: number }>()
    await produceInvoices(state, sender, Math.min(100, Math.max(1, count ?? 1)))
    return c.json({ invoices: state.invoices.size })
  })
}

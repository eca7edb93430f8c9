import { describe, expect, it } from 'vitest'
import type { InboundRequest, Subscription, WebhookEvent } from '../../core/connector/connector.ts'
import { businessCentral } from './index.ts'
import { movableClock, startTestEnv } from './test-env.ts'

const hooks = businessCentral.webhooks!
const notificationUrl = 'https://ferry.example/hooks/t1/bc'

/** A receiver standing in for the runtime's ingress: verify, answer handshakes, parse events. */
function receiver(status = () => 200) {
  const subs: Subscription[] = []
  const events: WebhookEvent[] = []
  let handshakes = 0
  let ctx: any
  const fetch: typeof globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init)
    const inbound: InboundRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: new Uint8Array(await request.arrayBuffer()),
    }
    const verified = await hooks.verify(ctx, inbound, subs)
    if (verified.handshake) {
      handshakes += 1
      return new Response(verified.handshake.body, { status: verified.handshake.status })
    }
    events.push(...(await hooks.parse(ctx, inbound)))
    return new Response(null, { status: status() })
  }) as typeof globalThis.fetch
  return {
    subs,
    events,
    fetch,
    handshakes: () => handshakes,
    bind: (c: any) => {
      ctx = c
    },
  }
}

describe('webhooks', () => {
  it('subscribes with the validationToken handshake and gets change notifications carrying clientState', async () => {
    const rx = receiver()
    const { ctx, control, call } = await startTestEnv({ sandboxOptions: { fetch: rx.fetch } })
    rx.bind(ctx)
    const sub = await hooks.subscribe!(ctx, { stream: 'vendors', notificationUrl })
    rx.subs.push(sub)
    expect(rx.handshakes()).toBe(1)
    expect(sub.secret).toBeTruthy()
    expect(Date.parse(sub.expiresAt!) - Date.now()).toBeGreaterThan(2.9 * 86_400_000)

    const vendor = (await call('GET', "vendors?$filter=number eq 'V0010'")).body.value[0]
    await call('PATCH', `vendors(${vendor.id})`, {
      body: { email: 'x@y.vn' },
      headers: { 'if-match': vendor['@odata.etag'] },
    })
    await control('webhooks/flush', {})
    expect(rx.events).toEqual([
      expect.objectContaining({ type: 'changed', stream: 'vendors', ids: [vendor.id] }),
    ])
  })

  it('turns a bulk change into one collection notice, re-read by lastModifiedDateTime', async () => {
    const rx = receiver()
    const { ctx, control, sandbox } = await startTestEnv({ sandboxOptions: { fetch: rx.fetch } })
    rx.bind(ctx)
    rx.subs.push(await hooks.subscribe!(ctx, { stream: 'purchaseInvoices', notificationUrl }))
    await control('settings', { collectionThreshold: 2 })
    await sandbox.produce!(3)
    await control('webhooks/flush', {})
    expect(rx.events).toHaveLength(1)
    expect(rx.events[0]).toMatchObject({ type: 'changed', stream: 'purchaseInvoices' })
    expect((rx.events[0] as { ids?: string[] }).ids).toBeUndefined()
  })

  it('renews before expiry (handshake again) and unsubscribes', async () => {
    const rx = receiver()
    const clock = movableClock()
    const { ctx, control } = await startTestEnv({ now: clock.now, sandboxOptions: { fetch: rx.fetch } })
    rx.bind(ctx)
    const sub = await hooks.subscribe!(ctx, { stream: 'vendors', notificationUrl })
    clock.advance(2 * 86_400_000)
    const renewed = await hooks.renew!(ctx, sub)
    expect(rx.handshakes()).toBe(2)
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.parse(sub.expiresAt!))
    expect(renewed.secret).toBe(sub.secret)
    await hooks.unsubscribe!(ctx, renewed)
    expect(await control('state/subscriptions')).toEqual([])
    expect(hooks.renewBeforeMs).toBeLessThan(3 * 86_400_000)
  })

  it('refuses streams BC cannot notify about', async () => {
    const { ctx } = await startTestEnv()
    await expect(hooks.subscribe!(ctx, { stream: 'purchaseOrders', notificationUrl })).rejects.toMatchObject({
      kind: 'config',
    })
  })

  it('refuses deliveries whose clientState does not match the subscription', async () => {
    const { ctx } = await startTestEnv()
    const sub: Subscription = { id: 's1', stream: 'vendors', secret: 'right' }
    const body = (clientState: string) =>
      new TextEncoder().encode(
        JSON.stringify({
          value: [{ subscriptionId: 's1', clientState, resource: 'x', changeType: 'updated' }],
        }),
      )
    const req = (clientState: string): InboundRequest => ({
      method: 'POST',
      url: notificationUrl,
      headers: {},
      body: body(clientState),
    })
    await expect(hooks.verify(ctx, req('right'), [sub])).resolves.toEqual({})
    await expect(hooks.verify(ctx, req('wrong'), [sub])).rejects.toMatchObject({ kind: 'auth' })
  })

  it('the sandbox deletes a subscription after more than five failed deliveries', async () => {
    const rx = receiver(() => 503)
    const { ctx, control, call } = await startTestEnv({ sandboxOptions: { fetch: rx.fetch } })
    rx.bind(ctx)
    rx.subs.push(await hooks.subscribe!(ctx, { stream: 'vendors', notificationUrl }))
    await control('settings', { retryScale: 0.00001 })
    const vendor = (await call('GET', "vendors?$filter=number eq 'V0020'")).body.value[0]
    await call('PATCH', `vendors(${vendor.id})`, { body: { email: 'z@y.vn' }, headers: { 'if-match': '*' } })
    await control('webhooks/flush', {})
    // Retries run on the sandbox's timers: wait for the deletion rather than for a fixed 2 s.
    const deadline = Date.now() + 60_000
    while ((await control('state/subscriptions')).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(await control('state/subscriptions')).toEqual([])
    expect(rx.events.length).toBe(6)
  })
})

import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { InboundRequest, Subscription } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import type { Config } from './config.ts'
import { basware } from './index.ts'
import { listSubscriptions } from './webhooks.ts'

const webhooks = basware.webhooks!
const secret = 'subscription-signing-token'
const body = JSON.stringify({
  taskId: 'task-1',
  taskStatus: 'New',
  taskType: 'AccountingDocuments',
  taskSubType: 'WaitingForTransfer',
  documentId: 'inv-1',
  expirationTime: '2026-06-08T08:00:00Z',
})
const digest = createHmac('sha256', secret).update(body).digest()
const subs: Subscription[] = [
  { id: 'other', stream: 'accountingDocuments', secret: 'another-token' },
  { id: 's', stream: 'accountingDocuments', secret },
]

const inbound = (signature: string | undefined, raw = body): InboundRequest => ({
  method: 'POST',
  url: '/hooks/t/basware',
  headers: {
    'content-type': 'application/json',
    ...(signature === undefined ? {} : { 'X-BWAPI-Signature-256': signature }),
  },
  body: new TextEncoder().encode(raw),
})

const ctxWith = (signatureEncoding: Config['signatureEncoding']) =>
  ({ config: { signatureEncoding } }) as never

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  return isConnectorError(error) ? error.kind : 'accepted'
}

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

describe('signature verification', () => {
  it.each([
    ['lower-case hex', digest.toString('hex')],
    ['upper-case hex', digest.toString('hex').toUpperCase()],
    ['sha256= hex', `sha256=${digest.toString('hex')}`],
    ['base64', digest.toString('base64')],
    ['sha256= base64', `sha256=${digest.toString('base64')}`],
    ['base64url', digest.toString('base64url')],
  ])('accepts %s in auto mode', async (_name, signature) => {
    await expect(webhooks.verify(ctxWith('auto'), inbound(signature), subs)).resolves.toEqual({})
  })

  it.each([
    ['no signature header', undefined, body, subs],
    [
      'a signature made with another secret',
      createHmac('sha256', 'nope').update(body).digest('hex'),
      body,
      subs,
    ],
    ['a body changed after signing', digest.toString('hex'), body.replace('inv-1', 'inv-2'), subs],
    ['a truncated signature', digest.toString('hex').slice(0, 60), body, subs],
    ['no known subscription secret', digest.toString('hex'), body, []],
  ])('refuses %s as auth', async (_name, signature, raw, known) => {
    expect(
      await refusal(webhooks.verify(ctxWith('auto'), inbound(signature, raw), known as Subscription[])),
    ).toBe('auth')
  })

  it.each([
    ['hex', digest.toString('base64'), digest.toString('hex')],
    ['base64', `sha256=${digest.toString('hex')}`, `sha256=${digest.toString('base64')}`],
  ] as const)('pinned to %s, refuses the other encoding', async (encoding, other, own) => {
    expect(await refusal(webhooks.verify(ctxWith(encoding), inbound(other), subs))).toBe('auth')
    expect(await refusal(webhooks.verify(ctxWith(encoding), inbound(own), subs))).toBe('accepted')
  })

  it('answers the ConnectionTest as a handshake with 200, echoing nothing of the unsigned body', async () => {
    const test = JSON.stringify({
      taskId: '<script>alert(1)</script>',
      taskStatus: 'New',
      taskType: 'ConnectionTest',
      documentId: 'ConnectionTest',
      injected: 'x'.repeat(10_000),
    })
    const result = await webhooks.verify(ctxWith('auto'), inbound(undefined, test), [])
    expect(result.handshake?.status).toBe(200)
    expect(result.handshake?.body).toBe('{"received":true}')
    expect(result.handshake?.headers?.['x-content-type-options']).toBe('nosniff')
  })
})

describe('parse', () => {
  it.each([
    [
      'an accounting document notification',
      'AccountingDocuments',
      [{ type: 'changed', stream: 'accountingDocuments', ids: ['inv-1'], dedupeKey: 'task-1' }],
    ],
    [
      "the spec example's misspelt task type",
      'AccoutingDocuments',
      [{ type: 'changed', stream: 'accountingDocuments', ids: ['inv-1'], dedupeKey: 'task-1' }],
    ],
    ['another task type', 'ExportedPurchaseOrders', []],
  ])('turns %s into fetch-this-document events', async (_name, taskType, events) => {
    const raw = body.replace('"AccountingDocuments"', JSON.stringify(taskType))
    expect(await webhooks.parse(ctxWith('auto'), inbound(undefined, raw))).toEqual(events)
  })
})

describe('subscriptions against the sandbox', () => {
  it('subscribes (answering the ConnectionTest), verifies signed deliveries, lists and unsubscribes', async () => {
    let subscriptions: Subscription[] = []
    const events: unknown[] = []
    // The webhook ingress, in-process: verify then parse, as the runtime does.
    const ingress = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init)
      const inboundRequest: InboundRequest = {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: new Uint8Array(await request.arrayBuffer()),
      }
      try {
        const { handshake } = await webhooks.verify(context.ctx, inboundRequest, subscriptions)
        if (handshake) return new Response(handshake.body, { status: handshake.status })
        events.push(...(await webhooks.parse(context.ctx, inboundRequest)))
        return new Response(null, { status: 200 })
      } catch {
        return new Response(null, { status: 401 })
      }
    }
    const context = await startSandboxContext(basware, { sandboxOptions: { fetch: ingress as typeof fetch } })
    close = () => context.sandbox.close()
    const sub = await webhooks.subscribe!(context.ctx, {
      stream: 'accountingDocuments.waitingForTransfer',
      notificationUrl: 'https://ferry.example/hooks/t1/basware',
    })
    subscriptions = [sub]
    expect(sub.secret).toBeTruthy()
    expect(sub.data).toMatchObject({ taskType: 'AccountingDocuments', taskSubType: 'WaitingForTransfer' })
    expect(await listSubscriptions(context.ctx)).toHaveLength(1)

    await context.sandbox.produce!(2)
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({
      type: 'changed',
      stream: 'accountingDocuments',
      ids: [expect.any(String)],
      dedupeKey: expect.any(String),
    })
    const ids = (events as { ids: string[] }[]).map((e) => e.ids[0]!)
    const read = basware.streams.accountingDocuments!.read!(context.ctx, {
      cursor: null,
      query: { processingStatus: 'WaitingForTransfer' },
      ids,
    })
    for await (const page of read) expect(page.records.map((r) => r.invoiceId)).toEqual(ids)

    await webhooks.unsubscribe!(context.ctx, sub)
    expect(await listSubscriptions(context.ctx)).toEqual([])
  })
})

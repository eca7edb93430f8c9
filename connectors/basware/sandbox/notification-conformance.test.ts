/**
 * Conformance of the Basware sandbox with the documented API, over raw HTTP: subscriptions, signed notifications, fault injection and the control API.
 */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { call, h, useSandbox } from './conformance-harness.ts'

useSandbox()

describe('push notifications', () => {
  const subscription = (url = 'https://erp.example/hooks') => ({
    taskType: 'AccountingDocuments',
    taskSubType: 'WaitingForTransfer',
    subscriptionType: 'Webhook',
    notificationWebhookURL: url,
    webhookAuthenticationToken: 'shared-signing-token',
  })

  it('tests a new subscription with a ConnectionTest and refuses it unless the receiver answers 200', async () => {
    h.receiverStatus = 500
    expect((await call('POST', '/v1/subscriptions', { body: [subscription()] })).status).toBe(422)
    h.receiverStatus = 200
    const res = await call('POST', '/v1/subscriptions', { body: [subscription()] })
    expect(res.status).toBe(200)
    expect(h.outbound.map((o) => JSON.parse(o.body).taskType)).toEqual(['ConnectionTest', 'ConnectionTest'])
    const listed = (await (await call('GET', '/v1/subscriptions?taskType=AccountingDocuments')).json()) as {
      subscriptions: { lastUpdated: string }[]
    }
    expect(listed.subscriptions).toHaveLength(1)
    const since = new Date(Date.parse(listed.subscriptions[0]!.lastUpdated) - 1).toISOString()
    const deleted = await call(
      'DELETE',
      `/v1/subscriptions?lastUpdated=${since}&taskType=AccountingDocuments&taskSubType=WaitingForTransfer`,
    )
    expect(await deleted.json()).toEqual({ status: 'Deleted successfully', numberOfRecordsDeleted: 1 })
    expect(
      (
        await call('POST', '/v1/subscriptions', {
          body: [{ ...subscription(), webhookAuthenticationToken: undefined }],
        })
      ).status,
    ).toBe(400)
  })

  it.each([
    ['hex', (d: Buffer) => d.toString('hex')],
    ['sha256=hex', (d: Buffer) => `sha256=${d.toString('hex')}`],
    ['base64', (d: Buffer) => d.toString('base64')],
    ['sha256=base64', (d: Buffer) => `sha256=${d.toString('base64')}`],
  ] as const)(
    'signs notifications of new invoices with HMAC-SHA256 over the raw body (%s)',
    async (format, encode) => {
      await call('POST', '/__sandbox/settings', { body: { signatureFormat: format }, auth: null })
      await call('POST', '/v1/subscriptions', { body: [subscription()] })
      h.outbound = []
      await h.sandbox.produce!(1)
      expect(h.outbound).toHaveLength(1)
      const note = JSON.parse(h.outbound[0]!.body)
      expect(note).toMatchObject({
        taskStatus: 'New',
        taskType: 'AccountingDocuments',
        taskSubType: 'WaitingForTransfer',
      })
      expect(Object.keys(note).sort()).toEqual([
        'documentId',
        'expirationTime',
        'taskId',
        'taskStatus',
        'taskSubType',
        'taskType',
      ])
      const digest = createHmac('sha256', 'shared-signing-token').update(h.outbound[0]!.body).digest()
      expect(h.outbound[0]!.headers.get('x-bwapi-signature-256')).toBe(encode(digest))
      const doc = await call('GET', `/__sandbox/documents/${note.documentId}`, { auth: null })
      expect(await doc.json()).toMatchObject({ document: { processingStatus: 'WaitingForTransfer' } })
    },
  )

  it('can duplicate or drop deliveries on request', async () => {
    await call('POST', '/v1/subscriptions', { body: [subscription()] })
    h.outbound = []
    await call('POST', '/__sandbox/settings', { body: { duplicateWebhooks: true }, auth: null })
    await h.sandbox.produce!(1)
    expect(h.outbound).toHaveLength(2)
    expect(JSON.parse(h.outbound[0]!.body).taskId).toBe(JSON.parse(h.outbound[1]!.body).taskId)
    await call('POST', '/__sandbox/settings', {
      body: { duplicateWebhooks: false, dropWebhooks: 1 },
      auth: null,
    })
    await h.sandbox.produce!(2)
    expect(h.outbound).toHaveLength(3)
  })
})

describe('fault injection and control API', () => {
  it.each([
    [429, '7'],
    [429, undefined],
    [503, '2'],
    [503, undefined],
  ])('answers %i (Retry-After %s) for matching requests, then recovers', async (status, retryAfter) => {
    await call('POST', '/__sandbox/faults', {
      body: { status, retryAfter, path: '/v1/accountingDocuments', times: 1 },
      auth: null,
    })
    const faulted = await call('GET', '/v1/accountingDocuments')
    expect(faulted.status).toBe(status)
    expect(faulted.headers.get('retry-after')).toBe(retryAfter ?? null)
    expect((await call('GET', '/v1/accountingDocuments')).status).toBe(302)
    const stats = (await (await call('GET', '/__sandbox/stats', { auth: null })).json()) as {
      throttled: number
      byRoute: Record<string, number>
    }
    expect(stats.throttled).toBe(status === 429 ? 1 : 0)
    expect(stats.byRoute['GET /v1/accountingDocuments']).toBe(2)
  })

  it('seeds given or generated documents and resets to the start state', async () => {
    const res = await call('POST', '/__sandbox/documents', { body: { count: 3 }, auth: null })
    expect(((await res.json()) as { invoiceIds: string[] }).invoiceIds).toHaveLength(3)
    const listed = (await (
      await call('GET', '/__sandbox/documents?processingStatus=WaitingForTransfer', { auth: null })
    ).json()) as { count: number }
    expect(listed.count).toBe(27)
    await call('POST', '/__sandbox/reset', { auth: null })
    const after = (await (
      await call('GET', '/__sandbox/documents?processingStatus=WaitingForTransfer', { auth: null })
    ).json()) as { count: number }
    expect(after.count).toBe(24)
  })
})

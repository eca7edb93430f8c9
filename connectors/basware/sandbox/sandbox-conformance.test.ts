/**
 * Conformance of the Basware sandbox with the documented API, over raw HTTP: status codes, error
 * bodies, the redirect, header paging, the acknowledge/response rules, imports and requestStatus,
 * subscriptions and signed notifications.
 */
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../core/connector/sandbox.ts'
import { createSandbox } from './index.ts'

const BASE = 'http://127.0.0.1:1/basware'
let sandbox: Sandbox
let clock: number
let outbound: { url: string; headers: Headers; body: string }[]
let receiverStatus: number

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; auth?: string | null } = {},
) {
  const headers: Record<string, string> = { ...init.headers }
  if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${await token()}`
  if (init.body !== undefined) headers['content-type'] ??= 'application/json'
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body)
  return sandbox.fetch(new Request(path.startsWith('http') ? path : BASE + path, { method, headers, body }))
}

async function token(scope?: string): Promise<string> {
  const config = sandbox.connectionConfig()
  const res = await call('POST', '/v1/tokens', {
    auth: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope ?? String(config.scopes))}`,
  })
  return ((await res.json()) as { access_token: string }).access_token
}

/** Follows a 302 as a correct client does (no Authorization) and returns the download response. */
async function download(res: Response): Promise<Response> {
  expect(res.status).toBe(302)
  return call('GET', res.headers.get('location')!, { auth: null })
}

const ids = async (res: Response) =>
  ((await res.json()) as { accountingDocuments: { invoiceId: string }[] }).accountingDocuments.map(
    (d) => d.invoiceId,
  )

const vendor = (externalCode: string, extra: Record<string, unknown> = {}) => ({
  externalCode,
  vendorCode: externalCode.slice(0, 25),
  name: 'Công ty CP Bao Bì Hà Nội',
  companies: [{ companyCode: 'VN01' }],
  ...extra,
})

beforeEach(async () => {
  clock = Date.parse('2026-06-01T08:00:00Z')
  outbound = []
  receiverStatus = 200
  sandbox = await createSandbox({
    baseUrl: BASE,
    now: () => new Date(clock),
    fetch: async (input, init) => {
      const request = new Request(input, init)
      outbound.push({ url: request.url, headers: request.headers, body: await request.text() })
      return new Response(null, { status: receiverStatus })
    },
  })
})
afterEach(() => sandbox.close())

describe('token endpoint', () => {
  it('issues an hour-long bearer token without a refresh token for Basic client credentials and a form body', async () => {
    const config = sandbox.connectionConfig()
    const res = await call('POST', '/v1/tokens', {
      auth: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=vendors.read%20vendors.write',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      scope: 'vendors.read vendors.write',
      expires_in: 3600,
      token_type: 'Bearer',
    })
    expect(body).not.toHaveProperty('refresh_token')
  })

  it.each([
    [
      'wrong client secret',
      'Basic ' + Buffer.from('ferry-sandbox-client:nope').toString('base64'),
      'grant_type=client_credentials&scope=vendors.read',
      401,
      { error: 'invalid_client' },
    ],
    [
      'no grant_type',
      undefined,
      'scope=vendors.read',
      400,
      { error: 'invalid_request', error_description: 'grant_type field required' },
    ],
    ['no scope', undefined, 'grant_type=client_credentials', 400, { error: 'invalid_request' }],
  ])('refuses a token request with %s', async (_name, auth, body, status, error) => {
    const config = sandbox.connectionConfig()
    const res = await call('POST', '/v1/tokens', {
      auth: auth ?? `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(res.status).toBe(status)
    expect(await res.json()).toMatchObject(error)
  })

  it('expires tokens on the sandbox clock and enforces scopes per API and method', async () => {
    const readOnly = await token('accountingDocuments.read')
    expect(
      (
        await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer', {
          auth: `Bearer ${readOnly}`,
        })
      ).status,
    ).toBe(302)
    expect(
      (await call('POST', '/v1/vendors', { auth: `Bearer ${readOnly}`, body: [vendor('V1')] })).status,
    ).toBe(401)
    clock += 3600_000
    expect((await call('GET', '/v1/accountingDocuments', { auth: `Bearer ${readOnly}` })).status).toBe(401)
  })

  it('accepts Basic API-user credentials as the alternative', async () => {
    const { username, password } = sandbox.connectionConfig()
    const res = await call('GET', '/v1/accountingDocuments', {
      auth: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    })
    expect(res.status).toBe(302)
  })
})

describe('accountingDocuments export', () => {
  it('redirects to an absolute download URL under the base that refuses an Authorization header', async () => {
    const res = await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer')
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(location.startsWith(`${BASE}/__s3/`)).toBe(true)
    const withAuth = await call('GET', location)
    expect(withAuth.status).toBe(400)
    expect(await withAuth.text()).toContain('Only one auth mechanism allowed')
    const clean = await call('GET', location, { auth: null })
    expect(clean.status).toBe(200)
    expect((await ids(clean)).length).toBe(24)
  })

  it('pages with the continuation header, bound to the query, with no header on the last page', async () => {
    const query = '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer&pageSize=10'
    const seen: string[] = []
    let next: string | null = null
    let pages = 0
    do {
      const page = await download(
        await call('GET', query, { headers: next ? { 'x-amz-meta-continuationtoken': next } : {} }),
      )
      seen.push(...(await ids(page)))
      next = page.headers.get('x-amz-meta-continuationtoken')
      pages++
    } while (next)
    expect(pages).toBe(3)
    expect(new Set(seen).size).toBe(24)

    const first = await download(await call('GET', query))
    const token = first.headers.get('X-amz-meta-continuationToken')!
    const otherQuery = await call(
      'GET',
      '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer&pageSize=5',
      { headers: { 'x-amz-meta-continuationtoken': token } },
    )
    expect(otherQuery.status).toBe(400)
    expect(await otherQuery.json()).toMatchObject({
      hasErrors: true,
      errors: [{ type: 'VALIDATION', code: 'PARAMETER_VALIDATION_ERROR' }],
    })
    // A token in the query string is not a continuation: page 1 again.
    const asQuery = await download(await call('GET', `${query}&x-amz-meta-continuationtoken=${token}`))
    expect(await ids(asQuery)).toEqual(seen.slice(0, 10))
  })

  it('answers 404 with a ResponseEntityList when nothing matches, and filters status case-insensitively', async () => {
    const res = await call('GET', '/v1/accountingDocuments?processingStatus=Transferred')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ hasErrors: true, errors: [{ code: 'ENTITY_NOT_FOUND' }] })
    expect((await call('GET', '/v1/accountingDocuments?ProcessingStatus=Nonsense')).status).toBe(400)
    expect((await call('GET', '/v1/accountingDocuments?pageSize=101')).status).toBe(400)
  })

  it('returns shorter pages than pageSize when coding rows exceed the page budget, still with a token', async () => {
    await call('POST', '/__sandbox/settings', { body: { codingRowBudget: 6 }, auth: null })
    const page = await download(
      await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer&pageSize=100'),
    )
    expect((await ids(page)).length).toBeLessThan(24)
    expect(page.headers.get('x-amz-meta-continuationtoken')).toBeTruthy()
  })
})

describe('acknowledge and responses', () => {
  async function firstInvoice(): Promise<string> {
    return (
      await ids(
        await download(
          await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer&pageSize=1'),
        ),
      )
    )[0]!
  }
  const state = async (id: string) =>
    (await (await call('GET', `/__sandbox/documents/${id}`, { auth: null })).json()) as {
      document: Record<string, unknown>
      history: unknown[]
      payment?: Record<string, unknown>
    }

  it('acknowledges once (TransferInProgress); again is 405; unknown is 404', async () => {
    const id = await firstInvoice()
    const ack = await call('POST', `/v1/accountingDocuments/${id}/acknowledge`)
    expect(ack.status).toBe(200)
    expect(typeof (await ack.json())).toBe('string')
    expect((await state(id)).document.processingStatus).toBe('TransferInProgress')
    const again = await call('POST', `/v1/accountingDocuments/${id}/acknowledge`)
    expect(again.status).toBe(405)
    expect(await again.json()).toMatchObject({ errors: [{ code: 'METHOD_NOT_ALLOWED' }] })
    expect((await call('POST', '/v1/accountingDocuments/nope/acknowledge')).status).toBe(404)
    const waiting = await download(
      await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer'),
    )
    expect(await ids(waiting)).not.toContain(id)
  })

  it.each([
    ['without responseMessage', { externalCode: 'a', success: true, paymentBlock: false }],
    [
      'with a 251-character message',
      { externalCode: 'a', success: true, paymentBlock: false, responseMessage: 'x'.repeat(251) },
    ],
    [
      'with a 37-character externalCode',
      { externalCode: 'e'.repeat(37), success: true, paymentBlock: false, responseMessage: 'ok' },
    ],
    [
      'with a 26-character voucher number',
      {
        externalCode: 'a',
        success: true,
        paymentBlock: false,
        responseMessage: 'ok',
        voucherNumber1: '9'.repeat(26),
      },
    ],
    [
      'with an unknown field',
      { externalCode: 'a', success: true, paymentBlock: false, responseMessage: 'ok', erpId: 1 },
    ],
  ])('refuses a transfer response %s with SCHEMA_VALIDATION_ERROR', async (_name, body) => {
    const id = await firstInvoice()
    const res = await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, { body })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      hasErrors: true,
      errors: [{ type: 'VALIDATION', code: 'SCHEMA_VALIDATION_ERROR' }],
    })
  })

  it('books a successful transfer response, refuses another once Transferred, echoes a reused externalCode, and logs it in requestStatus', async () => {
    const id = await firstInvoice()
    const ok = {
      externalCode: 'tr-1',
      success: true,
      paymentBlock: false,
      responseMessage: 'Posted as PI-1001',
      voucherNumber1: 'PI-1001',
    }
    const res = await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, { body: ok })
    expect(res.status).toBe(200)
    const after = await state(id)
    expect(after.document).toMatchObject({ processingStatus: 'Transferred', voucherNumber1: 'PI-1001' })
    expect(after.document.transferResponses).toEqual([ok])
    expect(
      (
        await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, {
          body: { ...ok, externalCode: 'tr-2' },
        })
      ).status,
    ).toBe(400)
    expect((await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, { body: ok })).status).toBe(
      200,
    )
    expect((await state(id)).document.transferResponses).toHaveLength(1)

    clock += 1000
    const status = await call('GET', `/v1/requestStatus/${res.headers.get('x-amzn-RequestId')}`)
    expect(await status.json()).toMatchObject({
      requestStatus: [
        {
          entityType: 'TransferResponse',
          requestStatus: 'Success',
          systems: [{ items: [{ externalCode: 'tr-1', parentExternalCode: id, status: 'Success' }] }],
        },
      ],
    })
  })

  it('keeps voucher numbers off a failed transfer and lets a re-transfer send the invoice back', async () => {
    const id = await firstInvoice()
    const failed = {
      externalCode: 'tr-f',
      success: false,
      paymentBlock: true,
      responseMessage: 'Vendor V0010 is blocked',
      voucherNumber1: 'X',
    }
    await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, { body: failed })
    const doc = (await state(id)).document
    expect(doc.processingStatus).toBe('TransferFailed')
    expect(doc.voucherNumber1).toBeUndefined()
    const back = await call('POST', `/__sandbox/documents/${id}/retransfer`, { auth: null })
    expect(await back.json()).toMatchObject({ processingStatus: 'WaitingForTransfer' })
    expect((await call('POST', `/v1/accountingDocuments/${id}/acknowledge`)).status).toBe(200)
  })

  it('payment responses replace the payment state (omitted fields clear) and refuse a reused externalCode with 409', async () => {
    const id = await firstInvoice()
    await call('POST', `/v1/accountingDocuments/${id}/transferResponses`, {
      body: { externalCode: 't', success: true, paymentBlock: false, responseMessage: 'ok' },
    })
    const first = {
      externalCode: 'p1',
      success: true,
      paymentBlock: false,
      paidTotal: 1,
      paymentMethod: 'BANK',
    }
    expect(
      (await call('POST', `/v1/accountingDocuments/${id}/paymentResponses`, { body: first })).status,
    ).toBe(200)
    expect(
      (
        await call('POST', `/v1/accountingDocuments/${id}/paymentResponses`, {
          body: { externalCode: 'p2', success: true, paymentBlock: false, paidTotal: 2 },
        })
      ).status,
    ).toBe(200)
    expect((await state(id)).payment).toEqual({
      externalCode: 'p2',
      success: true,
      paymentBlock: false,
      paidTotal: 2,
    })
    const reused = await call('POST', `/v1/accountingDocuments/${id}/paymentResponses`, { body: first })
    expect(reused.status).toBe(409)
    expect(await reused.json()).toMatchObject({ errors: [{ code: 'CONFLICT_IN_POST' }] })
  })
})

describe('master-data imports', () => {
  const statusOf = async (res: Response) => {
    const r = await call('GET', `/v1/requestStatus/${res.headers.get('x-amzn-RequestId')}`)
    return (
      (await r.json()) as {
        requestStatus: {
          requestStatus: string
          systems: {
            items: {
              externalCode: string
              status: string
              errors: { category: string; message: string }[] | null
            }[]
          }[]
        }[]
      }
    ).requestStatus[0]!
  }

  it('answers 200 with x-amzn-RequestId, then InProgress, then each item’s outcome', async () => {
    const res = await call('POST', '/v1/vendors', {
      body: [
        vendor('VN01_V0010', { paymentTerms: { paymentTermCode: '30 DAYS' } }),
        vendor('VN01_V0099', { paymentTerms: { paymentTermCode: 'NEVER' } }),
      ],
    })
    expect(res.status).toBe(200)
    expect((await statusOf(res)).requestStatus).toBe('InProgress')
    clock += 200
    const done = await statusOf(res)
    expect(done.requestStatus).toBe('Error')
    expect(done.systems[0]!.items.map((i) => [i.externalCode, i.status])).toEqual([
      ['VN01_V0010', 'Success'],
      ['VN01_V0099', 'Error'],
    ])
    expect(done.systems[0]!.items[1]!.errors![0]).toMatchObject({ category: 'DataValidation' })
  })

  it('marks an identical re-post NotProcessed, and the older of two posts within a second RecordExpired', async () => {
    const first = await call('POST', '/v1/accounts', {
      body: [
        {
          externalCode: 'A1',
          accountCode: '6422',
          accountNames: [{ language: 'en-US', translation: 'Admin expenses' }],
          companies: [{ companyCode: 'VN01', inherit: false, active: true }],
        },
      ],
    })
    clock += 2000
    const same = await call('POST', '/v1/accounts', {
      body: [
        {
          externalCode: 'A1',
          accountCode: '6422',
          accountNames: [{ language: 'en-US', translation: 'Admin expenses' }],
          companies: [{ companyCode: 'VN01', inherit: false, active: true }],
        },
      ],
    })
    const changed = await call('POST', '/v1/accounts', {
      body: [
        {
          externalCode: 'A1',
          accountCode: '6422',
          accountNames: [{ language: 'en-US', translation: 'Admin' }],
          companies: [{ companyCode: 'VN01', inherit: false, active: false }],
        },
      ],
    })
    clock += 200
    expect((await statusOf(first)).systems[0]!.items[0]!.status).toBe('Success')
    expect((await statusOf(same)).systems[0]!.items[0]!.status).toBe('NotProcessed')
    expect((await statusOf(changed)).systems[0]!.items[0]!.status).toBe('Success')
    const quick1 = await call('POST', '/v1/costCenters', {
      body: [
        {
          externalCode: 'C1',
          costCenterCode: 'ADM',
          costCenterNames: [{ language: 'en-US', translation: 'Admin' }],
          companies: [{ companyCode: 'VN01', active: true }],
        },
      ],
    })
    const quick2 = await call('POST', '/v1/costCenters', {
      body: [
        {
          externalCode: 'C1',
          costCenterCode: 'ADM',
          costCenterNames: [{ language: 'en-US', translation: 'Hành chính' }],
          companies: [{ companyCode: 'VN01', active: true }],
        },
      ],
    })
    clock += 200
    expect((await statusOf(quick1)).systems[0]!.items[0]!.status).toBe('RecordExpired')
    expect((await statusOf(quick2)).systems[0]!.items[0]!.status).toBe('Success')
    const stored = (await (
      await call('GET', '/__sandbox/master-data/costCenters', { auth: null })
    ).json()) as { records: { costCenterNames: unknown[] }[] }
    expect(stored.records[0]!.costCenterNames).toEqual([{ language: 'en-US', translation: 'Hành chính' }])
  })

  it('enforces the per-endpoint record limit, the 6 MB body limit, the schema and list keys', async () => {
    const tooMany = await call('POST', '/v1/vendors', {
      body: Array.from({ length: 201 }, (_, i) => vendor(`V${i}`)),
    })
    expect(tooMany.status).toBe(400)
    expect(await tooMany.json()).toMatchObject({ errors: [{ code: 'SCHEMA_VALIDATION_ERROR' }] })
    const huge = await call('POST', '/v1/accounts', {
      body: [{ externalCode: 'A', padding: 'x'.repeat(6 * 1024 * 1024) }],
    })
    expect(huge.status).toBe(413)
    const invalid = await call('POST', '/v1/vendors', {
      body: [vendor('OK1'), { externalCode: 'BAD1', name: 'no code' }],
    })
    expect(invalid.status).toBe(400)
    const body = (await invalid.json()) as { errors: { externalCode: string; code: string }[] }
    expect(body.errors.every((e) => e.externalCode === 'BAD1' && e.code === 'SCHEMA_VALIDATION_ERROR')).toBe(
      true,
    )
    expect((await call('POST', '/v1/lists/ACC_LIST_36', { body: [{ externalCode: 'L1' }] })).status).toBe(400)
    expect(
      (await call('POST', '/v1/lists/ACC_LIST_1', { body: [{ externalCode: 'L1', text_1: 'P-HCM01' }] }))
        .status,
    ).toBe(200)
  })

  it('lists imported records in the wrapper key, 404 when there are none', async () => {
    expect((await call('GET', '/v1/vendors')).status).toBe(404)
    await call('POST', '/v1/vendors', { body: [vendor('V1')] })
    const res = await call('GET', '/v1/vendors')
    expect(await res.json()).toMatchObject({ vendorEntities: [{ externalCode: 'V1' }] })
  })
})

describe('push notifications', () => {
  const subscription = (url = 'https://erp.example/hooks') => ({
    taskType: 'AccountingDocuments',
    taskSubType: 'WaitingForTransfer',
    subscriptionType: 'Webhook',
    notificationWebhookURL: url,
    webhookAuthenticationToken: 'shared-signing-token',
  })

  it('tests a new subscription with a ConnectionTest and refuses it unless the receiver answers 200', async () => {
    receiverStatus = 500
    expect((await call('POST', '/v1/subscriptions', { body: [subscription()] })).status).toBe(422)
    receiverStatus = 200
    const res = await call('POST', '/v1/subscriptions', { body: [subscription()] })
    expect(res.status).toBe(200)
    expect(outbound.map((o) => JSON.parse(o.body).taskType)).toEqual(['ConnectionTest', 'ConnectionTest'])
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
      outbound = []
      await sandbox.produce!(1)
      expect(outbound).toHaveLength(1)
      const note = JSON.parse(outbound[0]!.body)
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
      const digest = createHmac('sha256', 'shared-signing-token').update(outbound[0]!.body).digest()
      expect(outbound[0]!.headers.get('x-bwapi-signature-256')).toBe(encode(digest))
      const doc = await call('GET', `/__sandbox/documents/${note.documentId}`, { auth: null })
      expect(await doc.json()).toMatchObject({ document: { processingStatus: 'WaitingForTransfer' } })
    },
  )

  it('can duplicate or drop deliveries on request', async () => {
    await call('POST', '/v1/subscriptions', { body: [subscription()] })
    outbound = []
    await call('POST', '/__sandbox/settings', { body: { duplicateWebhooks: true }, auth: null })
    await sandbox.produce!(1)
    expect(outbound).toHaveLength(2)
    expect(JSON.parse(outbound[0]!.body).taskId).toBe(JSON.parse(outbound[1]!.body).taskId)
    await call('POST', '/__sandbox/settings', {
      body: { duplicateWebhooks: false, dropWebhooks: 1 },
      auth: null,
    })
    await sandbox.produce!(2)
    expect(outbound).toHaveLength(3)
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

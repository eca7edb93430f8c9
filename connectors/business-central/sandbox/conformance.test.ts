/**
 * Pins the documented BC behaviours the sandbox emulates (reference §11): a change that breaks
 * fidelity must fail here. Raw HTTP only, through the sandbox's own fetch.
 */
import { describe, expect, it } from 'vitest'
import { startTestEnv } from '../test-env.ts'

const correlated = /\s\sCorrelationId:\s\s[0-9a-f-]{36}\.$/

describe('sandbox conformance: auth and routing', () => {
  it('401 without a bearer token; 401 Authentication_InvalidCredentials for an app not registered in BC', async () => {
    const { sandbox, companyApi, call, control, config } = await startTestEnv()
    const bare = await sandbox.fetch(new Request(`${companyApi}/vendors`))
    expect(bare.status).toBe(401)
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/)
    await control('apps', { clientId: config.clientId, registeredInBc: false })
    const refused = await call('GET', 'vendors')
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('Authentication_InvalidCredentials')
    expect(refused.body.error.message).toMatch(correlated)
  })

  it('token endpoint: invalid_client for a wrong secret, invalid_scope without /.default', async () => {
    const { sandbox, config } = await startTestEnv()
    const token = (form: Record<string, string>) =>
      sandbox.fetch(
        new Request(`${config.authorityUrl}/${config.tenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams(form),
        }),
      )
    const wrong = await token({
      grant_type: 'client_credentials',
      client_id: config.clientId,
      client_secret: 'x',
      scope: 'a/.default',
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringContaining('AADSTS7000215'),
    })
    const scope = await token({
      grant_type: 'client_credentials',
      client_id: config.clientId,
      client_secret: config.clientSecret,
      scope: 'x',
    })
    expect(((await scope.json()) as { error: string }).error).toBe('invalid_scope')
  })

  it('lists several companies; unknown company → 404 Internal_CompanyNotFound; unknown set → 404', async () => {
    const { call } = await startTestEnv()
    const companies = await call('GET', '/companies')
    expect(companies.body.value.length).toBeGreaterThanOrEqual(2)
    expect(Object.keys(companies.body.value[0])).toEqual(
      expect.arrayContaining(['id', 'name', 'displayName', 'systemVersion']),
    )
    expect(
      (await call('GET', '/companies(00000000-0000-0000-0000-000000000001)/vendors')).body.error.code,
    ).toBe('Internal_CompanyNotFound')
    const missing = await call('GET', 'purchaseInvoice')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('BadRequest_ResourceNotFound')
  })
})

describe('sandbox conformance: entities and OData', () => {
  it('emits every catalogue field, GUID ids, weak ETags and escaped enums', async () => {
    const { call } = await startTestEnv()
    const vendor = (await call('GET', "vendors?$filter=number eq 'V0080'")).body.value[0]
    expect(vendor.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(vendor['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/)
    expect(vendor.blocked).toBe('All')
    const active = (await call('GET', "vendors?$filter=number eq 'V0010'")).body.value[0]
    expect(active.blocked).toBe('_x0020_')
    const account = (await call('GET', "accounts?$filter=accountType eq 'Heading'")).body.value[0]
    expect(account.accountType).toBe('Heading')
    expect(Object.keys(vendor)).toEqual(
      expect.arrayContaining(['taxRegistrationNumber', 'irs1099Code', 'balance', 'lastModifiedDateTime']),
    )
  })

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink; $top disables nextLink; $count', async () => {
    const { call } = await startTestEnv()
    const first = await call('GET', 'vendors?$count=true', { headers: { prefer: 'odata.maxpagesize=5' } })
    expect(first.body.value).toHaveLength(5)
    expect(first.body['@odata.count']).toBe(8)
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=5')
    const second = await call('GET', first.body['@odata.nextLink'], {
      headers: { prefer: 'odata.maxpagesize=5' },
    })
    expect(second.body.value).toHaveLength(3)
    expect(second.body['@odata.nextLink']).toBeUndefined()
    const top = await call('GET', 'vendors?$top=5', { headers: { prefer: 'odata.maxpagesize=2' } })
    expect(top.body.value).toHaveLength(5)
    expect(top.body['@odata.nextLink']).toBeUndefined()
    expect((await call('GET', 'vendors/$count')).text).toBe('8')
  })

  it('filters with functions, orders, selects; refuses OR across fields', async () => {
    const { call } = await startTestEnv()
    const r = await call(
      'GET',
      "vendors?$filter=startswith(displayName,'Công ty CP')&$orderby=number desc&$select=number,displayName",
    )
    expect(r.body.value.map((v: any) => v.number)).toEqual(['V0070', 'V0040', 'V0020'])
    expect(Object.keys(r.body.value[0]).sort()).toEqual(['@odata.etag', 'displayName', 'number'])
    const or = await call('GET', "vendors?$filter=number eq 'V0010' or city eq 'Huế'")
    expect(or.status).toBe(400)
    expect(or.body.error.message).toContain("The 'OR' operator is not supported on distinct fields")
    expect(
      (await call('GET', "vendors?$filter=number eq 'V0010' or number eq 'V0020'")).body.value,
    ).toHaveLength(2)
  })

  it('lines need a parent; dimension set lines need a parent', async () => {
    const { call } = await startTestEnv()
    const lines = await call('GET', 'purchaseInvoiceLines')
    expect(lines.status).toBe(400)
    expect(lines.body.error.message).toMatch(/^You must specify an Id or a Document Id to get the lines\./)
    expect((await call('GET', 'dimensionSetLines')).body.error.message).toMatch(
      /^You must get to the parent first/,
    )
  })

  it('read-only sets answer 405 BadRequest_MethodNotAllowed', async () => {
    const { call } = await startTestEnv()
    const r = await call('POST', 'accounts', { body: { number: '9999' } })
    expect(r.status).toBe(405)
    expect(r.body.error.code).toBe('BadRequest_MethodNotAllowed')
  })

  it('POST 201 with header only (lines only with $expand); unknown property and too long strings → 400', async () => {
    const { call } = await startTestEnv()
    const body = {
      vendorNumber: 'V0020',
      vendorInvoiceNumber: 'C-1',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '6411', quantity: 1, unitCost: 100 }],
    }
    const plain = await call('POST', 'purchaseInvoices', { body })
    expect(plain.status).toBe(201)
    expect(plain.body.status).toBe('Draft')
    expect(plain.body.purchaseInvoiceLines).toBeUndefined()
    const expanded = await call('POST', 'purchaseInvoices?$expand=purchaseInvoiceLines', {
      body: { ...body, vendorInvoiceNumber: 'C-2' },
    })
    expect(expanded.body.purchaseInvoiceLines).toHaveLength(1)
    expect(expanded.body.purchaseInvoiceLines[0].sequence).toBe(10000)
    const unknown = await call('POST', 'vendors', { body: { displayName: 'x', colour: 'red' } })
    expect(unknown.status).toBe(400)
    const long = await call('POST', 'vendors', { body: { displayName: 'x'.repeat(101) } })
    expect(long.body.error.code).toBe('Application_StringExceededLength')
  })

  it("credit memos copy the vendor's payment terms; their due date is the document date unless the terms have Calc. Pmt. Disc. on Cr. Memos", async () => {
    // Purchase Header (table 38): Pay-to Vendor No. copies Payment Terms Code; its OnValidate sets
    // a credit document's Due Date to the Document Date unless "Calc. Pmt. Disc. on Cr. Memos".
    const { call } = await startTestEnv()
    const vendor = (await call('GET', "vendors?$filter=number eq 'V0020'")).body.value[0]
    const terms = (await call('GET', `paymentTerms(${vendor.paymentTermsId})`)).body
    expect(terms).toMatchObject({ dueDateCalculation: '30D', calculateDiscountOnCreditMemos: false })
    const memo = (body: Record<string, unknown>) =>
      call('POST', 'purchaseCreditMemos', {
        body: {
          vendorNumber: 'V0020',
          creditMemoDate: '2026-03-10',
          purchaseCreditMemoLines: [
            { lineType: 'Account', lineObjectNumber: '6411', quantity: 1, unitCost: 100 },
          ],
          ...body,
        },
      })
    const plain = await memo({ vendorCreditMemoNumber: 'CM-1' })
    expect(plain.status).toBe(201)
    expect(plain.body).toMatchObject({ paymentTermsId: vendor.paymentTermsId, dueDate: '2026-03-10' })
    const invoice = await call('POST', 'purchaseInvoices', {
      body: { vendorNumber: 'V0020', vendorInvoiceNumber: 'I-1', invoiceDate: '2026-03-10' },
    })
    expect(invoice.body.dueDate).toBe('2026-04-09')

    const patched = await call('PATCH', `paymentTerms(${terms.id})`, {
      body: { calculateDiscountOnCreditMemos: true },
      headers: { 'if-match': '*' },
    })
    expect(patched.status).toBe(200)
    const discounted = await memo({ vendorCreditMemoNumber: 'CM-2' })
    expect(discounted.body).toMatchObject({ paymentTermsId: terms.id, dueDate: '2026-04-09' })
    const given = await memo({ vendorCreditMemoNumber: 'CM-3', dueDate: '2026-05-01' })
    expect(given.body.dueDate).toBe('2026-05-01')
  })

  it('PATCH without If-Match → 400 BadRequest_InvalidToken; stale → 409 Request_EntityChanged; fresh → 200', async () => {
    const { call } = await startTestEnv()
    const vendor = (await call('GET', "vendors?$filter=number eq 'V0030'")).body.value[0]
    const none = await call('PATCH', `vendors(${vendor.id})`, { body: { email: 'a@b.vn' } })
    expect([none.status, none.body.error.code]).toEqual([400, 'BadRequest_InvalidToken'])
    const ok = await call('PATCH', `vendors(${vendor.id})`, {
      body: { email: 'a@b.vn' },
      headers: { 'if-match': vendor['@odata.etag'] },
    })
    expect(ok.status).toBe(200)
    expect(ok.body['@odata.etag']).not.toBe(vendor['@odata.etag'])
    expect(ok.body.lastModifiedDateTime > vendor.lastModifiedDateTime).toBe(true)
    const stale = await call('PATCH', `vendors(${vendor.id})`, {
      body: { email: 'c@d.vn' },
      headers: { 'if-match': vendor['@odata.etag'] },
    })
    expect([stale.status, stale.body.error.code]).toEqual([409, 'Request_EntityChanged'])
  })

  it('post: 204, same id, posted number, status Open, then read-only; draft-only', async () => {
    const { call } = await startTestEnv()
    const created = await call('POST', 'purchaseInvoices', {
      body: {
        vendorNumber: 'V0020',
        vendorInvoiceNumber: 'P-1',
        purchaseInvoiceLines: [
          { lineType: 'Account', lineObjectNumber: '6411', quantity: 1, unitCost: 1000 },
        ],
      },
    })
    const posted = await call('POST', `purchaseInvoices(${created.body.id})/Microsoft.NAV.post`)
    expect(posted.status).toBe(204)
    const after = await call('GET', `purchaseInvoices(${created.body.id})`)
    expect(after.body).toMatchObject({
      id: created.body.id,
      status: 'Open',
      number: expect.stringMatching(/^PPI-/),
    })
    expect(after.body['@odata.etag']).not.toBe(created.body['@odata.etag'])
    const patch = await call('PATCH', `purchaseInvoices(${created.body.id})`, {
      body: { vendorInvoiceNumber: 'P-2' },
      headers: { 'if-match': '*' },
    })
    expect(patch.body.error.message).toMatch(/^The invoice has been posted and can no longer be modified\./)
    const again = await call('POST', `purchaseInvoices(${created.body.id})/Microsoft.NAV.post`)
    expect(again.body.error.message).toMatch(/^The action can be applied to a draft invoice only\./)
    const entries = await call('GET', `generalLedgerEntries?$filter=documentNumber eq '${after.body.number}'`)
    expect(entries.body.value.length).toBeGreaterThanOrEqual(3)
  })
})

describe('sandbox conformance: $batch, limits, subscriptions', () => {
  const vendorOp = (id: string, displayName: string) => ({
    id,
    method: 'POST',
    url: `companies(4a2b6c8d-1e3f-4a5b-8c7d-9e0f1a2b3c4d)/vendors`,
    headers: { 'content-type': 'application/json' },
    body: { displayName },
  })

  it('stops at the first failure by default; continues with odata.continue-on-error; refuses > 100 operations', async () => {
    const { call } = await startTestEnv()
    const requests = [vendorOp('1', 'A'), vendorOp('2', 'x'.repeat(101)), vendorOp('3', 'C')]
    const stop = await call('POST', '/$batch', { body: { requests } })
    expect(stop.status).toBe(200)
    expect(stop.body.responses.map((r: any) => r.status)).toEqual([201, 400])
    const go = await call('POST', '/$batch', {
      body: { requests },
      headers: { prefer: 'odata.continue-on-error' },
    })
    expect(go.body.responses.map((r: any) => r.status)).toEqual([201, 400, 201])
    expect(go.body.responses[1].body.error.code).toBe('Application_StringExceededLength')
    const big = await call('POST', '/$batch', {
      body: { requests: Array.from({ length: 101 }, (_, i) => vendorOp(String(i), 'v')) },
    })
    expect(big.status).toBe(400)
  })

  it('Isolation: snapshot rolls every operation back when one fails', async () => {
    const { call } = await startTestEnv()
    const before = (await call('GET', 'vendors/$count')).text
    const r = await call('POST', '/$batch', {
      body: { requests: [vendorOp('1', 'A'), vendorOp('2', 'x'.repeat(101))] },
      headers: { isolation: 'snapshot' },
    })
    expect(r.status).toBe(200)
    expect((await call('GET', 'vendors/$count')).text).toBe(before)
  })

  it('enforces the per-principal budget with 429 and Retry-After, counted in stats', async () => {
    const { call, control } = await startTestEnv()
    await call('GET', 'vendors')
    await control('limits', { requests: 2, windowMs: 60_000 })
    await call('GET', 'vendors')
    await call('GET', 'vendors')
    const limited = await call('GET', 'vendors')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await control('stats')).throttled).toBe(1)
  })

  it('caps concurrent requests per principal, queueing the rest', async () => {
    const { call, control } = await startTestEnv()
    await call('GET', 'vendors')
    await control('limits', { concurrency: 1, maxQueue: 1 })
    await control('faults', { latencyMs: 30 })
    const results = await Promise.all([
      call('GET', 'vendors'),
      call('GET', 'vendors'),
      call('GET', 'vendors'),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 429])
  })

  it('refuses a subscription whose handshake fails, and entity sets that cannot be subscribed to', async () => {
    const { call } = await startTestEnv({
      sandboxOptions: { fetch: (async () => new Response('nope')) as typeof fetch },
    })
    const resource = '/api/v2.0/companies(4a2b6c8d-1e3f-4a5b-8c7d-9e0f1a2b3c4d)'
    const failed = await call('POST', '/subscriptions', {
      body: { notificationUrl: 'https://h.example/x', resource: `${resource}/vendors`, clientState: 's' },
    })
    expect(failed.status).toBe(400)
    const orders = await call('POST', '/subscriptions', {
      body: { notificationUrl: 'https://h.example/x', resource: `${resource}/purchaseOrders` },
    })
    expect(orders.status).toBe(400)
    expect((await call('GET', '/subscriptions')).body.value).toEqual([])
  })

  it('subscriptions expire after three days', async () => {
    let t = Date.now()
    const echo = (async (input: string | URL | Request) =>
      new Response(
        new URL(String(input instanceof Request ? input.url : input)).searchParams.get('validationToken'),
      )) as typeof fetch
    const { call, control } = await startTestEnv({ now: () => new Date(t), sandboxOptions: { fetch: echo } })
    await control('settings', { accessTokenLifetimeSeconds: 10 * 86_400 })
    const created = await call('POST', '/subscriptions', {
      body: {
        notificationUrl: 'https://h.example/x',
        resource: '/api/v2.0/companies(4a2b6c8d-1e3f-4a5b-8c7d-9e0f1a2b3c4d)/vendors',
        clientState: 's',
      },
    })
    expect(created.status).toBe(201)
    expect(created.body.subscriptionId).toBeTruthy()
    t += 3 * 86_400_000 + 1000
    expect((await call('GET', '/subscriptions')).body.value).toEqual([])
  })
})

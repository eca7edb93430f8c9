/**
 * Conformance of the Basware sandbox with the documented API, over raw HTTP: the invoice export (redirect, header paging, 404) and the acknowledge/response rules.
 */
import { describe, expect, it } from 'vitest'
import { BASE, call, download, h, ids, useSandbox } from './conformance-harness.ts'

useSandbox()

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

    h.clock += 1000
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

describe('invoice status lookup', () => {
  const seeded = async () => {
    const listed = (await (await call('GET', '/__sandbox/documents', { auth: null })).json()) as {
      invoiceIds: string[]
    }
    const id = listed.invoiceIds[0]!
    const stored = (await (await call('GET', `/__sandbox/documents/${id}`, { auth: null })).json()) as {
      document: Record<string, string | number>
    }
    return stored.document
  }
  const lookup = (q: Record<string, string | number>) =>
    call(
      'GET',
      `/v1/accountingDocuments/status?${new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)]))}`,
    )

  it('finds an invoice by company, number and date (grossSum narrows) and answers a bare array', async () => {
    const doc = await seeded()
    const query = {
      companyCode: doc.companyCode!,
      invoiceNumber: doc.invoiceNumber!,
      invoiceDate: `${String(doc.invoiceDate).slice(0, 10)}T00:00:00Z`,
    }
    const res = await lookup(query)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([
      {
        invoiceId: doc.invoiceId,
        status: 'InApprovalProcess',
        processingStatus: 'WaitingForTransfer',
        lastUpdated: doc.lastUpdated,
      },
    ])
    expect((await lookup({ ...query, grossSum: doc.grossSum! })).status).toBe(200)
    expect((await lookup({ ...query, grossSum: Number(doc.grossSum) + 1 })).status).toBe(404)
    expect((await lookup({ ...query, invoiceNumber: 'NOPE' })).status).toBe(404)
  })

  it('reports ReadyForPayment after a successful transfer and Paid once paid in full', async () => {
    const doc = await seeded()
    const query = {
      companyCode: doc.companyCode!,
      invoiceNumber: doc.invoiceNumber!,
      invoiceDate: doc.invoiceDate!,
    }
    await call('POST', `/v1/accountingDocuments/${doc.invoiceId}/transferResponses`, {
      body: {
        externalCode: 'T1',
        success: true,
        paymentBlock: false,
        responseMessage: 'Posted',
        voucherNumber1: 'PI-1',
      },
    })
    expect(await (await lookup(query)).json()).toMatchObject([
      { status: 'ReadyForPayment', processingStatus: 'Transferred' },
    ])
    await call('POST', `/v1/accountingDocuments/${doc.invoiceId}/paymentResponses`, {
      body: { externalCode: 'P1', success: true, paymentBlock: false, paidTotal: doc.grossSum },
    })
    expect(await (await lookup(query)).json()).toMatchObject([{ status: 'Paid', processingStatus: 'Paid' }])
  })

  it('requires companyCode, invoiceNumber and invoiceDate; checks pageSize; 404 while the tenant switch is off', async () => {
    const doc = await seeded()
    const query = {
      companyCode: doc.companyCode!,
      invoiceNumber: doc.invoiceNumber!,
      invoiceDate: doc.invoiceDate!,
    }
    for (const missing of ['companyCode', 'invoiceNumber', 'invoiceDate'] as const) {
      const { [missing]: _gone, ...rest } = query
      const res = await lookup(rest)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        errors: [{ code: 'PARAMETER_VALIDATION_ERROR', message: expect.stringContaining(missing) }],
      })
    }
    expect((await lookup({ ...query, invoiceDate: 'yesterday' })).status).toBe(400)
    expect((await lookup({ ...query, pageSize: 501 })).status).toBe(400)
    await call('POST', '/__sandbox/settings', { auth: null, body: { statusLookupEnabled: false } })
    expect((await lookup(query)).status).toBe(404)
  })
})

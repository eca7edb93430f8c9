/**
 * Conformance of the Basware sandbox with the documented API, over raw HTTP: master-data imports and their asynchronous requestStatus stage.
 */
import { describe, expect, it } from 'vitest'
import { BASE, call, h, token, useSandbox } from './conformance-harness.ts'

const vendor = (externalCode: string, extra: Record<string, unknown> = {}) => ({
  externalCode,
  vendorCode: externalCode.slice(0, 25),
  name: 'Công ty CP Bao Bì Hà Nội',
  companies: [{ companyCode: 'VN01' }],
  ...extra,
})

useSandbox()

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
    h.clock += 200
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
    h.clock += 2000
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
    h.clock += 200
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
    h.clock += 200
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

describe('master-data PATCH and DELETE', () => {
  const requestStatus = async (res: Response) => {
    h.clock += 200
    const r = await call('GET', `/v1/requestStatus/${res.headers.get('x-amzn-RequestId')}`)
    const body = (await r.json()) as {
      requestStatus: { systems: { items: { externalCode: string; status: string }[] }[] }[]
    }
    return body.requestStatus[0]!.systems[0]!.items
  }
  const deleteScope = async () =>
    `Bearer ${await token(`vendors.read vendors.write vendors.delete lists.delete taskStatus.read`)}`

  it('PATCH merges into the stored record (null = not sent, nested objects merge), through requestStatus', async () => {
    await call('POST', '/v1/vendors', {
      body: [
        vendor('V1', {
          paymentTerms: { paymentTermCode: '30 DAYS' },
          processingStatus: { active: true, paymentDenied: false },
          description: 'MST 0101234567',
        }),
      ],
    })
    h.clock += 2000
    const res = await call('PATCH', '/v1/vendors/V1', {
      body: { name: 'Bao Bì Hà Nội (mới)', description: null, processingStatus: { paymentDenied: true } },
    })
    expect(res.status).toBe(200)
    const merged = (await res.json()) as Record<string, unknown>
    expect(merged).toMatchObject({
      externalCode: 'V1',
      vendorCode: 'V1',
      name: 'Bao Bì Hà Nội (mới)',
      description: 'MST 0101234567',
      paymentTerms: { paymentTermCode: '30 DAYS' },
      processingStatus: { active: true, paymentDenied: true },
      companies: [{ companyCode: 'VN01' }],
    })
    expect(await requestStatus(res)).toEqual([
      expect.objectContaining({ externalCode: 'V1', status: 'Success' }),
    ])
    const read = (await (await call('GET', '/v1/vendors/V1')).json()) as Record<string, unknown>
    expect(read.name).toBe('Bao Bì Hà Nội (mới)')
    // The same values again change nothing: NotProcessed, like an identical POST.
    h.clock += 2000
    const same = await call('PATCH', '/v1/vendors/V1', { body: { name: 'Bao Bì Hà Nội (mới)' } })
    expect(await requestStatus(same)).toEqual([expect.objectContaining({ status: 'NotProcessed' })])
  })

  it('PATCH of a missing record → 404; a different externalCode in the body → 400; schema errors → 400', async () => {
    const missing = await call('PATCH', '/v1/vendors/NOPE', { body: { name: 'x' } })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      errors: [{ code: 'ENTITY_NOT_FOUND', externalCode: 'NOPE' }],
    })
    await call('POST', '/v1/vendors', { body: [vendor('V2')] })
    const mismatch = await call('PATCH', '/v1/vendors/V2', { body: { externalCode: 'V3' } })
    expect(mismatch.status).toBe(400)
    expect(await mismatch.json()).toMatchObject({ errors: [{ code: 'EXTERNAL_CODE_MISMATCH' }] })
    const invalid = await call('PATCH', '/v1/vendors/V2', { body: { vendorCode: 'x'.repeat(26) } })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ errors: [{ code: 'SCHEMA_VALIDATION_ERROR' }] })
    expect((await call('PATCH', '/v1/vendors/V2', { body: [{ name: 'x' }] })).status).toBe(400)
    expect((await call('PATCH', '/v1/lists/ACC_LIST_99/L1', { body: { text_1: 'x' } })).status).toBe(400)
  })

  it('DELETE by externalCode removes one record at once; by lastUpdated as a task; needs the delete scope', async () => {
    await call('POST', '/v1/vendors', { body: [vendor('D1'), vendor('D2')] })
    h.clock += 60_000
    await call('POST', '/v1/vendors', { body: [vendor('D3'), vendor('D4')] })
    const auth = await deleteScope()
    expect((await call('DELETE', '/v1/vendors', { body: { externalCode: 'D1' } })).status).toBe(401)
    const one = await call('DELETE', '/v1/vendors', {
      auth,
      body: { externalCode: 'D1', lastUpdated: '0001-01-01' },
    })
    expect(one.status).toBe(200)
    expect(await one.json()).toMatchObject({ taskStatus: 'Completed' })
    expect((await call('GET', '/v1/vendors/D1')).status).toBe(404)
    expect((await call('DELETE', '/v1/vendors', { auth, body: { externalCode: 'D1' } })).status).toBe(404)

    const since = new Date(h.clock - 30_000).toISOString()
    const bulk = await call('DELETE', '/v1/vendors', { auth, body: { lastUpdated: since } })
    expect(bulk.status).toBe(202)
    const task = (await bulk.json()) as { statusApiLink: string; taskStatus: string }
    expect(task.taskStatus).toBe('InProgress')
    expect(task.statusApiLink.startsWith(`${BASE}/v1/taskStatus/`)).toBe(true)
    const again = await call('DELETE', '/v1/vendors', { auth, body: { lastUpdated: '0001-01-01' } })
    expect(again.status).toBe(400)
    h.clock += 200
    const status = await call('GET', task.statusApiLink, { auth })
    expect(await status.json()).toMatchObject({ taskStatus: 'Completed', recordCount: 2 })
    const left = (await (await call('GET', '/v1/vendors')).json()) as {
      vendorEntities: { externalCode: string }[]
    }
    expect(left.vendorEntities.map((v) => v.externalCode)).toEqual(['D2'])

    const all = await call('DELETE', '/v1/vendors', { auth, body: { lastUpdated: '0001-01-01' } })
    expect(all.status).toBe(202)
    expect((await call('GET', '/v1/vendors')).status).toBe(404)
    const neither = await call('DELETE', '/v1/vendors', { auth, body: {} })
    expect(neither.status).toBe(400)
    expect(await neither.json()).toMatchObject({ errors: [{ code: 'SCHEMA_VALIDATION_ERROR' }] })
  })
})

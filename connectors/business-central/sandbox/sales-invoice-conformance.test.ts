/**
 * Sales invoices as BC answers them (raw HTTP): deep insert with item lines, units of measure and
 * the customer's defaults; post; and BC's No. Series rule for a number entered by hand.
 */
import { describe, expect, it } from 'vitest'
import { startTestEnv } from '../test-env.ts'

const line = (extra: Record<string, unknown> = {}) => ({
  lineType: 'Item',
  lineObjectNumber: 'M365-E3',
  quantity: 2,
  unitPrice: 36,
  ...extra,
})

describe('sandbox conformance: sales invoices', () => {
  it('deep insert: customer defaults, item lines in the item base unit or the given one, totals; then post', async () => {
    const { call } = await startTestEnv()
    const created = await call('POST', 'salesInvoices?$expand=salesInvoiceLines', {
      body: {
        customerNumber: '20000',
        externalDocumentNumber: 'W365-10001',
        invoiceDate: '2026-06-01',
        salesInvoiceLines: [
          line(),
          line({
            lineObjectNumber: 'WRITE-IN',
            description: 'Onboarding',
            quantity: 4,
            unitPrice: 150,
            unitOfMeasureCode: 'HOUR',
          }),
        ],
      },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      customerName: 'Trey Research',
      currencyCode: 'USD',
      status: 'Draft',
      dueDate: '2026-07-01',
      totalAmountExcludingTax: 672,
      number: expect.stringMatching(/^SI-/),
    })
    expect(
      created.body.salesInvoiceLines.map((l: any) => [
        l.lineObjectNumber,
        l.unitOfMeasureCode,
        l.amountExcludingTax,
      ]),
    ).toEqual([
      ['M365-E3', 'MONTH', 72],
      ['WRITE-IN', 'HOUR', 600],
    ])
    const posted = await call('POST', `salesInvoices(${created.body.id})/Microsoft.NAV.post`)
    expect(posted.status).toBe(204)
    const after = await call('GET', `salesInvoices(${created.body.id})`)
    expect(after.body).toMatchObject({ status: 'Open', number: expect.stringMatching(/^PSI-/) })
    const again = await call('POST', `salesInvoices(${created.body.id})/Microsoft.NAV.post`)
    expect(again.body.error.message).toMatch(/^The invoice has been posted and can no longer be modified\./)
  })

  it('refuses a missing customer, an unknown item or unit of measure with BC’s messages, storing nothing', async () => {
    const { call } = await startTestEnv()
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ salesInvoiceLines: [line()] }, /^A customerNumber or a customerID must be provided\./],
      [
        { customerNumber: '20000', salesInvoiceLines: [line({ lineObjectNumber: 'NOPE' })] },
        /^The Item does not exist\. Identification fields and values: No\.='NOPE'/,
      ],
      [
        { customerNumber: '20000', salesInvoiceLines: [line({ unitOfMeasureCode: 'BOX' })] },
        /^The Item Unit of Measure does not exist\. Identification fields and values: Item No\.='M365-E3',Code='BOX'/,
      ],
    ]
    for (const [body, message] of cases) {
      const res = await call('POST', 'salesInvoices', { body })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('Application_DialogException')
      expect(res.body.error.message).toMatch(message)
    }
    expect((await call('GET', 'salesInvoices')).body.value).toEqual([])
  })

  it('a number entered by hand needs Manual Nos. on No. Series S-INV (BC’s exact message), then survives posting', async () => {
    const { call, control } = await startTestEnv()
    const body = { customerNumber: '10000', number: 'W365-10007', salesInvoiceLines: [line()] }
    const refused = await call('POST', 'salesInvoices', { body })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(
      /^You may not enter numbers manually\. If you want to enter numbers manually, please activate Manual Nos\. in No\. Series S-INV\./,
    )
    await control('settings', { manualSalesInvoiceNumbers: true })
    const created = await call('POST', 'salesInvoices', { body })
    expect(created.body.number).toBe('W365-10007')
    const duplicate = await call('POST', 'salesInvoices', { body })
    expect(duplicate.body.error.message).toMatch(/^The record in table Sales Header already exists/)
    await call('POST', `salesInvoices(${created.body.id})/Microsoft.NAV.post`)
    expect((await call('GET', `salesInvoices(${created.body.id})`)).body).toMatchObject({
      number: 'W365-10007',
      status: 'Open',
    })
  })
})

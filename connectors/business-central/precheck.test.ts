import { describe, expect, it } from 'vitest'
import { businessCentral } from './index.ts'
import { apiCalls, startTestEnv } from './test-env.ts'

const { purchaseInvoices, purchaseCreditMemos } = businessCentral.streams
const precheck = purchaseInvoices!.precheck!

const invoice = (overrides: Record<string, unknown> = {}, line: Record<string, unknown> = {}) => ({
  vendorNumber: 'V0010',
  vendorInvoiceNumber: 'PRE-1',
  postingDate: '2031-11-03',
  purchaseInvoiceLines: [
    {
      lineType: 'Account',
      lineObjectNumber: '6271',
      quantity: 1,
      unitCost: 1000,
      dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'PROD' }],
      ...line,
    },
  ],
  ...overrides,
})

describe('Business Central precheck of purchase documents (shadow runs)', () => {
  it('finds nothing wrong in a document BC would take, and only reads', async () => {
    const { ctx, fetch } = await startTestEnv()
    const before = fetch.calls.length
    expect(await precheck(ctx, invoice())).toEqual([])
    const calls = apiCalls(fetch.calls.slice(before))
    expect(calls.length).toBeGreaterThan(0)
    expect(new Set(calls.map((c) => c.method))).toEqual(new Set(['GET']))
  })

  it("answers what BC would refuse, in BC's words, pointing at the field", async () => {
    const { ctx } = await startTestEnv()
    expect(await precheck(ctx, invoice({ vendorNumber: 'V9999' }))).toEqual([
      { pointer: '/vendorNumber', message: 'The vendor cannot be found.' },
    ])
    expect(await precheck(ctx, invoice({ vendorNumber: 'V0080' }))).toEqual([
      {
        pointer: '/vendorNumber',
        message: 'You cannot create this type of document when Vendor V0080 is blocked with type All',
      },
    ])
    expect(await precheck(ctx, invoice({}, { lineObjectNumber: '9999' }))).toEqual([
      { pointer: '/purchaseInvoiceLines/0/lineObjectNumber', message: 'Account does not exist.' },
    ])
    expect(await precheck(ctx, invoice({}, { lineObjectNumber: '6000' }))).toEqual([
      {
        pointer: '/purchaseInvoiceLines/0/lineObjectNumber',
        message:
          "Account Type must be equal to 'Posting' in G/L Account: No.=6000. Current value is 'Heading'.",
      },
    ])
    expect(await precheck(ctx, invoice({}, { lineObjectNumber: '3311' }))).toEqual([
      {
        pointer: '/purchaseInvoiceLines/0/lineObjectNumber',
        message: "Direct Posting must be equal to 'Yes' in G/L Account: No.=3311. Current value is 'No'.",
      },
    ])
    expect(
      await precheck(
        ctx,
        invoice(
          { dimensionSetLines: [{ code: 'NOPE', valueCode: 'X' }] },
          { dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'MARS' }] },
        ),
      ),
    ).toEqual([
      { pointer: '/dimensionSetLines/0/code', message: 'The dimension NOPE does not exist.' },
      {
        pointer: '/purchaseInvoiceLines/0/dimensionSetLines/0/valueCode',
        message: 'The "valueCode" does not match to a Dimension Value.',
      },
    ])
    expect(await precheck(ctx, invoice({ vendorNumber: undefined }))).toEqual([
      { pointer: '', message: 'A "vendorNumber" or a "vendorID" must be provided.' },
    ])
  })

  it('each message is the one a real write gets from the sandbox', async () => {
    const { ctx } = await startTestEnv()
    for (const bad of [invoice({ vendorNumber: 'V9999' }), invoice({}, { lineObjectNumber: '9999' })]) {
      const [problem] = await precheck(ctx, bad)
      await expect(
        purchaseInvoices!.write!(ctx, { operation: 'create', record: bad, idempotencyKey: 'pre' }),
      ).rejects.toThrow(problem!.message)
    }
  })

  it('credit memos are checked the same way', async () => {
    const { ctx } = await startTestEnv()
    const memo = { ...invoice({ vendorNumber: 'V9999' }) } as Record<string, unknown>
    memo.purchaseCreditMemoLines = memo.purchaseInvoiceLines
    delete memo.purchaseInvoiceLines
    expect(await purchaseCreditMemos!.precheck!(ctx, memo)).toEqual([
      { pointer: '/vendorNumber', message: 'The vendor cannot be found.' },
    ])
  })
})

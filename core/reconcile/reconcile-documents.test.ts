import { describe, expect, it } from 'vitest'
import type { FieldDifference } from './field-difference.ts'
import type { ReconcileDocument } from './reconcile-document.ts'
import { type ExpectedDocument, reconcileDocuments } from './reconcile-documents.ts'
import type { ReconcileClass } from './reconcile-item.ts'
import { isoRounding, type RoundingRule } from './rounding-rule.ts'

// What Ferry maps a Basware invoice to, through the BC view: two G/L lines with dimensions.
const expected = (over: Partial<ReconcileDocument> = {}): ReconcileDocument => ({
  party: 'V0010',
  reference: '1C26TAA0000123',
  documentDate: '2026-11-10',
  postingDate: '2026-11-15',
  currency: 'VND',
  net: 30_000_000,
  status: 'posted',
  lines: [
    {
      account: '1521',
      amount: 20_000_000,
      taxCode: 'VAT10',
      dimensions: { DEPARTMENT: 'ADM', PROJECT: 'P-HN02' },
    },
    {
      account: '6271',
      amount: 10_000_000,
      taxCode: 'VAT10',
      dimensions: { DEPARTMENT: 'PROD', PROJECT: 'P-HCM01' },
    },
  ],
  ...over,
})
// What BC holds when the clerk keyed it right (BC adds its id, number, tax and totals).
const posted = (over: Partial<ReconcileDocument> = {}): ReconcileDocument => ({
  ...expected(),
  id: 'bc-1',
  number: 'PPI-200001',
  tax: 3_000_000,
  gross: 33_000_000,
  ...over,
})
const source: ReconcileDocument = {
  party: 'V0010',
  reference: '1C26TAA0000123',
  currency: 'VND',
  net: 30_000_000,
  tax: 3_000_000,
  gross: 33_000_000,
}
const doc = (over: Partial<ExpectedDocument> = {}): ExpectedDocument => ({
  sourceKey: 'inv-1',
  source,
  expected: expected(),
  ferry: { recordId: 'r-1', state: 'shadowed' },
  ...over,
})
const line0 = posted().lines![0]!
const line1 = posted().lines![1]!
const mistake = (field: string, e: FieldDifference['expected'], a: FieldDifference['actual']) => ({
  field,
  expected: e,
  actual: a,
  kind: 'mistake',
  expectedFrom: 'ferry',
})

describe('reconcileDocuments with a readable target (BC)', () => {
  const cases: {
    name: string
    documents?: ExpectedDocument[]
    target: ReconcileDocument[]
    classes: ReconcileClass[]
    differences?: unknown[]
    targetIds?: string[]
  }[] = [
    {
      name: 'keyed exactly as Ferry would write it',
      target: [posted()],
      classes: ['matched'],
      differences: [],
    },
    {
      name: 'a wrong amount on a line (and so the totals)',
      target: [
        posted({ net: 30_500_000, gross: 33_550_000, lines: [{ ...line0, amount: 20_500_000 }, line1] }),
      ],
      classes: ['differs'],
      differences: [
        mistake('net', 30_000_000, 30_500_000),
        mistake('lines[1].amount', 20_000_000, 20_500_000),
        { ...mistake('gross', 33_000_000, 33_550_000), expectedFrom: 'source' },
      ],
    },
    {
      name: 'a wrong G/L account',
      target: [posted({ lines: [line0, { ...line1, account: '6272' }] })],
      classes: ['differs'],
      differences: [mistake('lines[2].account', '6271', '6272')],
    },
    {
      name: 'a missing dimension',
      target: [posted({ lines: [{ ...line0, dimensions: { DEPARTMENT: 'ADM' } }, line1] })],
      classes: ['differs'],
      differences: [mistake('lines[1].dimensions.PROJECT', 'P-HN02', null)],
    },
    {
      name: 'lines keyed in another order still pair',
      target: [posted({ lines: [line1, line0] })],
      classes: ['matched'],
      differences: [],
    },
    {
      name: 'a wrong vendor: the number alone finds it',
      target: [posted({ party: 'V0020' })],
      classes: ['differs'],
      differences: [mistake('party', 'V0010', 'V0020')],
    },
    {
      name: 'a wrong posting date',
      target: [posted({ postingDate: '2026-11-16' })],
      classes: ['differs'],
      differences: [mistake('postingDate', '2026-11-15', '2026-11-16')],
    },
    {
      name: 'keyed twice, the second time with the zeros left out',
      target: [posted(), posted({ id: 'bc-2', number: 'PPI-200002', reference: '1c26taa-123' })],
      classes: ['posted_twice'],
      targetIds: ['bc-1', 'bc-2'],
    },
    { name: 'not keyed', target: [], classes: ['not_in_target'] },
    {
      name: 'keyed by hand without a source document',
      target: [posted(), posted({ id: 'bc-9', party: 'V0030', reference: 'HD-77' })],
      classes: ['matched', 'not_from_ferry'],
    },
    {
      name: 'the target id Ferry recorded wins over a changed reference',
      documents: [doc({ ferry: { recordId: 'r-1', state: 'delivered', targetId: 'bc-1' } })],
      target: [posted({ reference: 'CHANGED' })],
      classes: ['differs'],
      differences: [mistake('reference', '1C26TAA0000123', 'CHANGED')],
    },
    {
      name: 'reversed in BC after go-live',
      documents: [doc({ ferry: { recordId: 'r-1', state: 'delivered', targetId: 'bc-1' } })],
      target: [posted({ status: 'reversed' })],
      classes: ['differs'],
      differences: [mistake('status', 'posted', 'reversed')],
    },
    { name: 'paid counts as posted', target: [posted({ status: 'paid' })], classes: ['matched'] },
    {
      name: 'two unmatched documents with one number stay unmatched (no guessing)',
      documents: [doc(), doc({ sourceKey: 'inv-2', expected: expected({ party: 'V0030' }) })],
      target: [posted({ party: 'V0020' })],
      classes: ['not_in_target', 'not_in_target', 'not_from_ferry'],
    },
  ]
  it.each(cases)('$name', ({ documents, target, classes, differences, targetIds }) => {
    const items = reconcileDocuments({ documents: documents ?? [doc()], target, rule: isoRounding })
    expect(items.map((i) => i.class)).toEqual(classes)
    if (differences) expect(items[0]!.differences).toEqual(differences)
    if (targetIds) expect(items[0]!.targetIds).toEqual(targetIds)
  })

  it('describes each item for people: party, reference, date, currency and amount', () => {
    const [item] = reconcileDocuments({ documents: [doc()], target: [], rule: isoRounding })
    expect(item).toMatchObject({
      sourceKey: 'inv-1',
      recordId: 'r-1',
      ferryState: 'shadowed',
      party: 'V0010',
      reference: '1C26TAA0000123',
      date: '2026-11-15',
      currency: 'VND',
      amount: 33_000_000,
    })
  })

  it('compares a USD document to the cent, ignoring binary noise', () => {
    const usd = { ...source, currency: 'USD', net: 765.68, tax: 76.57, gross: 842.25 }
    const items = reconcileDocuments({
      documents: [
        doc({
          source: usd,
          expected: expected({ currency: 'USD', net: 765.68, lines: [{ account: '6427', amount: 765.68 }] }),
        }),
      ],
      target: [
        posted({
          currency: 'USD',
          net: 765.6800000000001,
          tax: 76.57,
          gross: 842.2500000000001,
          lines: [{ account: '6427', amount: 765.68 }],
        }),
      ],
      rule: isoRounding,
    })
    expect(items.map((i) => [i.class, i.differences])).toEqual([['matched', []]])
  })
})

describe('the target system’s rounding', () => {
  // MISA: whole đồng, VAT computed per line and accepted within ±1 đồng of the exact value.
  const misa: RoundingRule = { decimals: (c) => (c === 'USD' ? 2 : 0), perLine: { tax: 1 } }
  // BC computed VAT once on the document (1,234,565 + 2,000,005 at 10 % → 323,457); MISA per line (123,457 + 200,001).
  const bc: ReconcileDocument = { currency: 'VND', net: 3_234_570, tax: 323_457, gross: 3_558_027 }
  const voucher = (over: Partial<ReconcileDocument> = {}): ReconcileDocument => ({
    keys: { org_refid: 'bc-7' },
    currency: 'VND',
    net: 3_234_570,
    tax: 323_458,
    gross: 3_558_028,
    lines: [
      { account: '627', amount: 1_234_565, tax: 123_457 },
      { account: '152', amount: 2_000_005, tax: 200_001 },
    ],
    ...over,
  })

  it('1 đồng of VAT that per-line rounding explains is the system’s rounding, not a mistake', () => {
    const [item] = reconcileDocuments({
      documents: [
        { sourceKey: 'bc-7', source: bc, expected: voucher(), ferry: { recordId: 'r', state: 'delivered' } },
      ],
      rule: misa,
    })
    expect(item!.class).toBe('matched')
    expect(item!.differences).toEqual([
      { field: 'tax', expected: 323_457, actual: 323_458, kind: 'rounding', expectedFrom: 'source' },
      { field: 'gross', expected: 3_558_027, actual: 3_558_028, kind: 'rounding', expectedFrom: 'source' },
    ])
  })

  it('1 đồng on a net amount is a mistake: nothing in MISA’s rule explains it', () => {
    const [item] = reconcileDocuments({
      documents: [
        {
          sourceKey: 'bc-7',
          source: bc,
          expected: voucher({ net: 3_234_571, gross: 3_558_029 }),
          ferry: { recordId: 'r', state: 'delivered' },
        },
      ],
      rule: misa,
    })
    expect(item!.class).toBe('differs')
    expect(item!.differences.map((d) => [d.field, d.kind])).toEqual([
      ['net', 'mistake'],
      ['tax', 'rounding'],
      ['gross', 'mistake'],
    ])
  })

  it('more VAT difference than the lines can explain is a mistake', () => {
    const [item] = reconcileDocuments({
      documents: [
        {
          sourceKey: 'bc-7',
          source: bc,
          expected: voucher({ tax: 323_460, gross: 3_558_030 }),
          ferry: { recordId: 'r', state: 'delivered' },
        },
      ],
      rule: misa,
    })
    expect(item!.differences.map((d) => [d.field, d.kind])).toEqual([
      ['tax', 'mistake'],
      ['gross', 'mistake'],
    ])
  })

  it('a line’s VAT within MISA’s ±1 đồng is rounding; 2 đồng off is a mistake', () => {
    const lines = voucher().lines!
    const items = reconcileDocuments({
      documents: [{ sourceKey: 'bc-7', expected: voucher(), ferry: { recordId: 'r', state: 'shadowed' } }],
      target: [
        voucher({
          id: 'm-1',
          lines: [
            { ...lines[0]!, tax: 123_456 },
            { ...lines[1]!, tax: 200_003 },
          ],
        }),
      ],
      rule: misa,
    })
    expect(items[0]!.differences.map((d) => [d.field, d.kind])).toEqual([
      ['lines[1].tax', 'rounding'],
      ['lines[2].tax', 'mistake'],
    ])
  })

  it('without a readable target, a record the target has not accepted is not in the target', () => {
    const items = reconcileDocuments({
      documents: [
        { sourceKey: 'a', source: bc, expected: voucher(), ferry: { recordId: 'r1', state: 'failed' } },
        {
          sourceKey: 'b',
          source: bc,
          expected: voucher(),
          ferry: { recordId: 'r2', state: 'delivered', targetId: 'm-2', targetNumber: 'NK0002' },
        },
      ],
      rule: misa,
    })
    expect(items.map((i) => [i.class, i.targetIds, i.targetNumbers])).toEqual([
      ['not_in_target', [], []],
      ['matched', ['m-2'], ['NK0002']],
    ])
  })
})

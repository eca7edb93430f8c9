import { describe, expect, it } from 'vitest'
import type { ReconciliationItemRow } from '../store/reconciliations-store.ts'
import { reconciliationCsv } from './reconciliation-csv.ts'

const item = (over: Partial<ReconciliationItemRow>): ReconciliationItemRow => ({
  seq: 0,
  flowId: 'f1',
  class: 'matched',
  targetIds: [],
  targetNumbers: [],
  differences: [],
  ...over,
})

describe('reconciliationCsv', () => {
  it('one row per document, one column per field that differs anywhere', () => {
    const csv = reconciliationCsv(
      [
        item({ sourceKey: 'a', party: 'V0010', reference: '1C26TAA1', amount: 33_000_000, targetIds: ['x'] }),
        item({
          class: 'differs',
          sourceKey: 'b',
          party: 'Công ty, "Thép"',
          differences: [
            {
              field: 'postingDate',
              expected: '2026-11-15',
              actual: '2026-11-16',
              kind: 'mistake',
              expectedFrom: 'ferry',
            },
            { field: 'tax', expected: 323_457, actual: 323_458, kind: 'rounding', expectedFrom: 'source' },
          ],
        }),
        item({
          class: 'differs',
          sourceKey: 'c',
          differences: [
            {
              field: 'lines[1].dimensions.PROJECT',
              expected: 'P-HN02',
              actual: null,
              kind: 'mistake',
              expectedFrom: 'ferry',
            },
          ],
        }),
      ],
      new Map([['f1', 'basware-invoices-to-bc']]),
    )
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines.at(-1)).toBe('')
    expect(lines[0]).toBe(
      'flow,class,source key,party,reference,date,currency,amount,target ids,target numbers,ferry state,record id,postingDate,tax,lines[1].dimensions.PROJECT',
    )
    expect(lines[1]).toBe('basware-invoices-to-bc,matched,a,V0010,1C26TAA1,,,33000000,x,,,,,,')
    expect(lines[2]).toBe(
      'basware-invoices-to-bc,differs,b,"Công ty, ""Thép""",,,,,,,,,2026-11-15 → 2026-11-16,323457 → 323458 (rounding),',
    )
    expect(lines[3]).toBe('basware-invoices-to-bc,differs,c,,,,,,,,,,,,P-HN02 → (none)')
  })

  it('a value that would start a formula is written as text', () => {
    const csv = reconciliationCsv(
      [item({ reference: '=HYPERLINK("x")', party: '-V1', date: '-5' })],
      new Map(),
    )
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv).toContain(`'-V1`)
    expect(csv).toContain(',-5,')
  })
})

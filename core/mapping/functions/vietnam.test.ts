import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'

const evaluate = (source: string) => compileMapping(source).evaluate({})

describe('Vietnamese rules from core/vietnam', () => {
  it.each([
    ["$isValidMst('0100047516')", true],
    ["$isValidMst('0100233480')", false],
    ["$isValidMst('0314409058-002')", true],
    ["$normalizeMst(' 0314409058002 ')", '0314409058-002'],
    ['$vatRateCode(10)', '10%'],
    ["$vatRateCode('kct')", 'KCT'],
    ['$amisVatRate(-2)', -2],
    ["$amisVatRate('8%')", 8],
    ['$vatAmount(1000005, 10)', 100001],
    ['$eInvoiceNumber(123)', '00000123'],
    ["$invoiceKey('0100047516', 1, 'C26THG', 123)", '0100047516|1|C26THG|00000123'],
    ["$misaDateTime('2026-03-05T02:00:00Z')", '2026-03-05 09:00:00'],
  ])('%s = %j', async (source, expected) => {
    expect(await evaluate(source)).toEqual(expected)
  })

  it('keeps a missing value missing', async () => {
    expect(await evaluate("{ 'mst': $normalizeMst(nothing) }")).toEqual({})
  })

  it.each(["$normalizeMst('0100233480')", "$vatRateCode('VAT25')", "$eInvoiceNumber('abc')"])(
    '%s fails with invalid_argument naming the function',
    async (source) => {
      const failure = evaluate(source)
      await expect(failure).rejects.toMatchObject({ code: 'invalid_argument', position: { line: 1 } })
      await expect(failure).rejects.toThrow(/^\$\w+: /)
    },
  )
})

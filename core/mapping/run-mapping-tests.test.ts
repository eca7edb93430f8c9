import { describe, expect, it } from 'vitest'
import { formatMappingTestResults } from './format-mapping-test-results.ts'
import { runMappingTests } from './run-mapping-tests.ts'

const map = `{
  'vendorNumber': $lookupTable('vendorNo', mst),
  'lines': [rows.{ 'amount': $vnd(net) }]
}`
const input = { mst: '0100047516', rows: [{ net: 1000.5 }] }
const lookups = { vendorNo: { '0100047516': 'V0010' } }

describe('runMappingTests', () => {
  it('passes when the output matches, and fails with a diff naming JSON paths when not', async () => {
    const results = await runMappingTests({
      map,
      tests: [
        {
          name: 'maps a one-row invoice',
          input,
          lookups,
          expect: { vendorNumber: 'V0010', lines: [{ amount: 1001 }] },
        },
        {
          name: 'wrong amount',
          input,
          lookups,
          expect: { vendorNumber: 'V0010', lines: [{ amount: 1000 }], extra: 1 },
        },
      ],
    })
    expect(results.map((result) => result.passed)).toEqual([true, false])
    expect(results[0]!.actual).toEqual({ vendorNumber: 'V0010', lines: [{ amount: 1001 }] })
    expect(results[1]!.problems).toEqual([
      '$.lines[0].amount: expected 1000, got 1001',
      '$.extra: expected 1, but it is missing',
    ])
  })

  it('checks expected errors by code and message', async () => {
    const results = await runMappingTests({
      map,
      tests: [
        { name: 'unknown vendor', input, expectError: { code: 'lookup_missing', message: '0100047516' } },
        { name: 'wrong code', input, expectError: { code: 'invalid_date' } },
        { name: 'expected to fail but maps', input, lookups, expectError: { code: 'lookup_missing' } },
        { name: 'unexpected failure', input, expect: {} },
      ],
    })
    expect(results.map((result) => result.passed)).toEqual([true, false, false, false])
    expect(results[1]!.problems[0]).toMatch(/expected error code invalid_date, got lookup_missing/)
    expect(results[2]!.problems[0]).toMatch(/succeeded/)
    expect(results[3]!.problems[0]).toMatch(/^failed with lookup_missing: .*\(at 2:\d+\)$/)
  })

  it('fails every case with the syntax error when the mapping does not compile', async () => {
    const results = await runMappingTests({ map: '{ "a": ', tests: [{ name: 'a', input: {}, expect: {} }] })
    expect(results[0]).toMatchObject({ passed: false, error: { code: expect.stringMatching(/^S0/) } })
    expect(results[0]!.problems[0]).toMatch(/does not compile: S0\d+ at 1:\d+/)
  })
})

describe('formatMappingTestResults', () => {
  it('prints ✓/✗ per case, the problems under failures and a summary', () => {
    const text = formatMappingTestResults(
      [
        { name: 'ok case', passed: true, problems: [] },
        { name: 'bad case', passed: false, problems: ['$.a: expected 1, got 2'] },
      ],
      { file: 'manifests/recipes/bc-basware/invoices.flow.yaml' },
    )
    expect(text).toBe(
      [
        'manifests/recipes/bc-basware/invoices.flow.yaml',
        '  ✓ ok case',
        '  ✗ bad case',
        '      $.a: expected 1, got 2',
        '1 passed, 1 failed',
        '',
      ].join('\n'),
    )
  })
})

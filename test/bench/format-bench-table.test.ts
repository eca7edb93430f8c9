import { describe, expect, it } from 'vitest'
import { formatBenchTable } from './format-bench-table.ts'

const scenario = { id: 'mapping-stage', title: 't', target: 'Ferry ≥ 90 % of bare JSONata', workload: 'w' }

describe('formatBenchTable', () => {
  it('aligns columns and shows the verdict', () => {
    const text = formatBenchTable([
      {
        scenario,
        result: {
          figure: 5400,
          unit: 'records/s',
          baseline: 6000,
          baselineLabel: 'bare',
          ratio: 0.9,
          targetMet: true,
          samples: [],
        },
      },
      { scenario: { ...scenario, id: 'other' }, error: 'boom' },
    ])
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^scenario\s+figure\s+target\s+baseline \(same run\)\s+ratio$/)
    expect(lines[2]).toContain('5,400 records/s')
    expect(lines[2]).toContain('6,000 records/s (bare)')
    expect(lines[2]).toMatch(/0\.900\s+met$/)
    expect(lines[3]).toContain('crashed: boom')
    expect(lines[2]!.indexOf('Ferry')).toBe(lines[0]!.indexOf('target'))
  })
})

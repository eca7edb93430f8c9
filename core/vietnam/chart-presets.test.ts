import { describe, expect, it } from 'vitest'
import {
  apAccounts,
  type ChartRegime,
  chartPreset,
  defaultChartRegime,
  isPostingAccount,
} from './chart-presets.ts'

describe('chartPreset', () => {
  it.each([
    ['TT99', '331', true],
    ['TT99', '1331', true],
    ['TT99', '133', false],
    ['TT99', '332', true],
    ['TT200', '332', false],
    ['TT200', '441', true],
    ['TT99', '441', false],
    ['TT133', '641', false],
    ['TT133', '6421', true],
    ['TT133', '627', false],
    ['TT200', '627', true],
    ['TT99', '6427', true],
    ['TT99', '642', false],
    ['TT99', '9999', false],
  ] as [ChartRegime, string, boolean][])('%s: %s takes postings = %s', (regime, account, leaf) => {
    expect(isPostingAccount(regime, account)).toBe(leaf)
  })

  it('has unique account numbers per regime', () => {
    for (const regime of ['TT99', 'TT200', 'TT133'] as const) {
      const numbers = chartPreset(regime).map((a) => a.number)
      expect(new Set(numbers).size).toBe(numbers.length)
    }
  })

  it('refuses an unknown regime', () =>
    expect(() => chartPreset('TT48' as ChartRegime)).toThrow(/unknown chart regime/))
})

describe('apAccounts', () => {
  it.each(['TT99', 'TT200', 'TT133'] as const)('%s: every AP account is a posting account', (regime) => {
    for (const account of Object.values(apAccounts(regime)))
      expect(isPostingAccount(regime, account), account).toBe(true)
  })
  it('TT133 books selling costs to 6421', () => expect(apAccounts('TT133').sellingExpense).toBe('6421'))
})

describe('defaultChartRegime', () => {
  it.each([
    ['2026-01-01', 'TT99'],
    ['2026-04-01', 'TT99'],
    ['2025-12-31', 'TT200'],
  ])('%s → %s', (date, regime) => expect(defaultChartRegime(date)).toBe(regime))
  it('refuses a non-date', () => expect(() => defaultChartRegime('2026')).toThrow(/YYYY-MM-DD/))
})

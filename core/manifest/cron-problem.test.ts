import { describe, expect, it } from 'vitest'
import { cronProblem } from './cron-problem.ts'

describe('cronProblem', () => {
  it.each(['*/15 * * * *', '0 6 * * MON-FRI', '0,30 6-20/2 1 JAN-DEC 0', '59 23 31 12 7'])(
    'accepts %s',
    (cron) => {
      expect(cronProblem(cron)).toBeUndefined()
    },
  )

  it.each([
    ['*/15 * * *', 'it has 4 fields; cron needs 5 (minute hour day-of-month month day-of-week)'],
    ['0 25 * * *', 'in the hour field, 25 is outside 0-23'],
    ['0 0 0 * *', 'in the day of month field, 0 is outside 1-31'],
    ['*/0 * * * *', 'in the minute field, step "0" must be a positive number'],
    ['0 20-6 * * *', 'in the hour field, range "20-6" runs backwards'],
    ['0 0 * FOO *', 'in the month field, "FOO" is not a number or name'],
  ])('rejects %s', (cron, problem) => {
    expect(cronProblem(cron)).toBe(problem)
  })
})

import { describe, expect, it } from 'vitest'
import { localDay, nextScheduledRun, periodProblems, scheduledPeriod } from './reconcile-period.ts'

describe('periods', () => {
  it.each([
    [{ from: '2026-11-01', to: '2026-12-01' }, []],
    [
      { from: '2026-02-30', to: '2026-03-01' },
      [{ field: 'from', detail: 'must be a date yyyy-mm-dd (got "2026-02-30")' }],
    ],
    [
      { from: '2026-11-01', to: '2026-11-01' },
      [{ field: 'to', detail: 'must be after from (to is exclusive)' }],
    ],
    [
      { from: '1900-01-01', to: '2026-01-01' },
      [{ field: 'to', detail: 'a period covers at most 3660 days' }],
    ],
  ])('%o → %o', (period, problems) => expect(periodProblems(period)).toEqual(problems))

  it('the calendar day of an instant depends on the time zone', () => {
    const instant = new Date('2026-11-30T20:00:00Z')
    expect(localDay(instant, 'UTC')).toBe('2026-11-30')
    expect(localDay(instant, 'Asia/Ho_Chi_Minh')).toBe('2026-12-01')
  })
})

describe('what a daily schedule reconciles', () => {
  const now = new Date('2026-12-02T23:30:00Z') // 06:30 on 3 December in Vietnam
  it.each([
    ['the sample period so far', { since: '2026-11-16' }, { from: '2026-11-16', to: '2026-12-03' }],
    ['the sample period on its first day', { since: '2026-12-03' }, { from: '2026-12-03', to: '2026-12-04' }],
    ['the last 7 whole days', { days: 7 }, { from: '2026-11-26', to: '2026-12-03' }],
  ])('%s', (_, spec, period) => expect(scheduledPeriod(spec, now, 'Asia/Ho_Chi_Minh')).toEqual(period))

  it('runs next at the given time of day in the schedule’s time zone', () => {
    expect(nextScheduledRun('06:00', 'Asia/Ho_Chi_Minh', now).toISOString()).toBe('2026-12-03T23:00:00.000Z')
    expect(nextScheduledRun('07:15', 'Asia/Ho_Chi_Minh', now).toISOString()).toBe('2026-12-03T00:15:00.000Z')
  })
})

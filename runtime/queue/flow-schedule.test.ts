import { describe, expect, it } from 'vitest'
import { intervalPhaseMs, nextOccurrence, scheduleSpecOf } from './flow-schedule.ts'

describe('flow schedules: specs and next occurrences', () => {
  it.each([
    {
      name: 'a bare cron runs in UTC',
      trigger: { schedule: '*/15 * * * *' },
      spec: { cron: '*/15 * * * *', tz: 'UTC' },
    },
    {
      name: 'a cron with a time zone keeps it',
      trigger: { schedule: { cron: '0 9 * * *', timezone: 'Asia/Ho_Chi_Minh' } },
      spec: { cron: '0 9 * * *', tz: 'Asia/Ho_Chi_Minh' },
    },
    { name: 'an interval becomes milliseconds', trigger: { every: '90s' }, spec: { everyMs: 90_000 } },
    { name: 'a webhook-only flow has no schedule', trigger: { webhook: true }, spec: undefined },
  ])('$name', ({ trigger, spec }) => {
    expect(scheduleSpecOf(trigger)).toEqual(spec)
  })

  it('a cron occurrence is computed in the schedule’s time zone', () => {
    const spec = { cron: '0 9 * * *', tz: 'Asia/Ho_Chi_Minh' }
    // 09:00 in Ho Chi Minh City (UTC+7) is 02:00 UTC; at 02:00 UTC sharp the next one is tomorrow's.
    expect(nextOccurrence(spec, 'f', new Date('2026-03-01T01:00:00Z')).toISOString()).toBe(
      '2026-03-01T02:00:00.000Z',
    )
    expect(nextOccurrence(spec, 'f', new Date('2026-03-01T02:00:00Z')).toISOString()).toBe(
      '2026-03-02T02:00:00.000Z',
    )
  })

  it('an interval fires at the flow’s own phase, within one interval from now, and missed ones collapse', () => {
    const everyMs = 60_000
    const now = new Date('2026-03-01T10:00:00.250Z')
    const flowId = '0b6f3c52-6c1d-4f59-9d0e-3f4a1c2b9e77'
    const next = nextOccurrence({ everyMs }, flowId, now)
    expect(next.getTime()).toBeGreaterThan(now.getTime())
    expect(next.getTime()).toBeLessThanOrEqual(now.getTime() + everyMs)
    expect(next.getTime() % everyMs).toBe(intervalPhaseMs(flowId, everyMs))
    // A worker that was down for an hour runs once, at the next phase, not sixty times.
    const later = new Date(now.getTime() + 3_600_000 + 1)
    expect(nextOccurrence({ everyMs }, flowId, later).getTime() - later.getTime()).toBeLessThanOrEqual(
      everyMs,
    )
  })

  it('flows with the same interval spread over it instead of firing together', () => {
    const everyMs = 60_000
    const phases = Array.from({ length: 600 }, (_, i) => intervalPhaseMs(`flow-${i}`, everyMs))
    const perTenSeconds = Array.from(
      { length: 6 },
      (_, s) => phases.filter((p) => Math.floor(p / 10_000) === s).length,
    )
    // 600 flows over six 10 s slices: about 100 each, none empty or crowded.
    for (const n of perTenSeconds) expect(n).toBeGreaterThan(60)
    for (const n of perTenSeconds) expect(n).toBeLessThan(140)
    expect(intervalPhaseMs('flow-1', everyMs)).toBe(intervalPhaseMs('flow-1', everyMs))
  })
})

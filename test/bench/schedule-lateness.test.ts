import { describe, expect, it } from 'vitest'
import { occurrencesBetween, quantile, scheduleLateness } from './schedule-lateness.ts'

const everyMinute = { periodMs: 60_000, startMs: 17_000 }

describe('scheduleLateness', () => {
  it('lists the occurrences of a phased schedule inside the window, ends included', () => {
    expect(occurrencesBetween(everyMinute, 17_000, 137_000)).toEqual([17_000, 77_000, 137_000])
    expect(occurrencesBetween(everyMinute, 18_000, 76_000)).toEqual([])
  })

  it('credits each occurrence with the first run at or after it', () => {
    const report = scheduleLateness(everyMinute, [78_500, 19_000], 0, 100_000)
    expect(report).toEqual({ lateMs: [2_000, 1_500], missed: 0 })
  })

  it('never credits a run that started before the occurrence, and counts occurrences with no run', () => {
    const report = scheduleLateness(everyMinute, [16_000, 20_000], 0, 140_000)
    expect(report).toEqual({ lateMs: [3_000], missed: 2 })
  })

  it('uses a run once even when it is late past the next occurrence', () => {
    const report = scheduleLateness(everyMinute, [90_000], 0, 100_000)
    expect(report).toEqual({ lateMs: [73_000], missed: 1 })
  })
})

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(quantile(values, 0.99)).toBe(99)
    expect(quantile(values, 0.5)).toBe(50)
    expect(quantile([5], 0.99)).toBe(5)
  })
})

import { describe, expect, it } from 'vitest'
import {
  fromMisaTicks,
  parseVietnamDateTime,
  toMisaDateTime,
  toMisaTicks,
  toMisaTimestamp,
  toVietnamIso,
  vietnamDate,
} from './vietnam-time.ts'

const instant = new Date('2026-03-05T02:00:00.123Z')

describe('formatting', () => {
  it('toVietnamIso', () => expect(toVietnamIso(instant)).toBe('2026-03-05T09:00:00.123+07:00'))
  it('toMisaDateTime', () => expect(toMisaDateTime(instant)).toBe('2026-03-05 09:00:00'))
  it('toMisaTimestamp has 7 fraction digits', () =>
    expect(toMisaTimestamp(instant)).toBe('2026-03-05T09:00:00.1230000+07:00'))
  it('vietnamDate crosses midnight', () => expect(vietnamDate('2025-12-31T20:00:00Z')).toBe('2026-01-01'))
})

describe('parseVietnamDateTime', () => {
  it.each([
    ['2026-03-05 09:00:00', '2026-03-05T02:00:00.000Z'],
    ['2026-03-05T09:00', '2026-03-05T02:00:00.000Z'],
    ['2026-03-05', '2026-03-04T17:00:00.000Z'],
    ['2024-11-06T10:59:06.1571577+07:00', '2024-11-06T03:59:06.157Z'],
    ['2026-03-05T02:00:00Z', '2026-03-05T02:00:00.000Z'],
  ])('%s', (input, iso) => expect(parseVietnamDateTime(input).toISOString()).toBe(iso))
  it.each(['05/03/2026', '2026-13-01', 'tomorrow', ''])('rejects %s', (v) =>
    expect(() => parseVietnamDateTime(v)).toThrow(/date-time/),
  )
})

describe('MISA ticks', () => {
  it('reads MISA expired_time_ticks', () => {
    // expired_time 2025-12-26T11:43:55 local = 04:43:55Z
    expect(fromMisaTicks('639023462352615600').toISOString()).toBe('2025-12-26T04:43:55.261Z')
  })
  it('round-trips', () =>
    expect(fromMisaTicks(toMisaTicks(instant)).toISOString()).toBe(instant.toISOString()))
})

/**
 * Vietnam local time (UTC+07:00, no daylight saving). MISA sends local timestamps with `+07:00` and
 * 7-digit fractions, `yyyy-MM-dd HH:mm:ss` without an offset, and token expiry in .NET ticks.
 */

const OFFSET_MS = 7 * 3600_000
const TICKS_AT_EPOCH = 621_355_968_000_000_000n

function toDate(value: Date | string | number): Date {
  const date =
    value instanceof Date ? value : typeof value === 'number' ? new Date(value) : parseVietnamDateTime(value)
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: "${String(value)}"`)
  return date
}

function localParts(value: Date | string | number): string {
  // The shifted date's UTC fields are the Vietnam wall-clock fields.
  return new Date(toDate(value).getTime() + OFFSET_MS).toISOString()
}

/** ISO 8601 in Vietnam time: `2026-03-05T09:00:00.000+07:00`. */
export function toVietnamIso(value: Date | string | number): string {
  return `${localParts(value).slice(0, 23)}+07:00`
}

/** MISA's `yyyy-MM-dd HH:mm:ss` in Vietnam time (used by `last_sync_time` and voucher dates). */
export function toMisaDateTime(value: Date | string | number): string {
  const iso = localParts(value)
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

/** The Vietnam calendar date `yyyy-MM-dd` of an instant (e.g. 2025-12-31T20:00Z is 2026-01-01). */
export function vietnamDate(value: Date | string | number): string {
  return localParts(value).slice(0, 10)
}

/** MISA's record timestamp: `2024-11-06T10:59:06.1570000+07:00` (7-digit fraction). */
export function toMisaTimestamp(value: Date | string | number): string {
  const iso = localParts(value)
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000+07:00`
}

/**
 * Parses a date-time; text without an offset (`2026-03-05 09:00:00`, `2026-03-05T09:00:00`,
 * `2026-03-05`) is Vietnam local time. Throws on anything unparseable.
 */
export function parseVietnamDateTime(text: string): Date {
  const s = String(text ?? '').trim()
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s)
  if (!m) throw new Error(`not a date-time: "${s}"`)
  const [, day, time = '00:00:00', fraction = '', zone] = m
  const ms = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : ''
  const date = new Date(`${day}T${time.length === 5 ? `${time}:00` : time}${ms}${zone ?? '+07:00'}`)
  if (Number.isNaN(date.getTime())) throw new Error(`not a date-time: "${s}"`)
  return date
}

/**
 * Converts MISA's `expired_time_ticks` to an instant. MISA counts .NET ticks (100 ns since 0001-01-01)
 * of the Vietnam wall-clock time, not of UTC: real tokens carry ticks equal to `expired_time` read as UTC.
 */
export function fromMisaTicks(ticks: number | string | bigint): Date {
  const value = BigInt(typeof ticks === 'number' ? Math.round(ticks) : ticks)
  return new Date(Number((value - TICKS_AT_EPOCH) / 10_000n) - OFFSET_MS)
}

/** Converts an instant to MISA's wall-clock .NET ticks (the inverse of {@link fromMisaTicks}). */
export function toMisaTicks(value: Date): bigint {
  return BigInt(value.getTime() + OFFSET_MS) * 10_000n + TICKS_AT_EPOCH
}

import { MappingError } from '../mapping-error.ts'
import { describeValue } from './read-arguments.ts'

/** A calendar date and time as written in the source, with its UTC offset when it had one. */
export interface DateParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  /** Minutes east of UTC; `undefined` when the text carried no offset (a local or plain date). */
  offsetMinutes?: number
}

// ISO 8601 as BC (`2026-04-15`, `…T10:00:00Z`), Basware (`2024-05-02T00:00:00`) and MISA
// (`2024-11-06T10:59:06.1571577+07:00`, `2026-03-05 09:00:00`) write it.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i
// Vietnamese display form dd/MM/yyyy, optionally with a time.
const VIETNAMESE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

/** Reads the date formats the three systems use (or epoch milliseconds); `undefined` if unrecognised or invalid. */
export function readDateParts(value: string | number): DateParts | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? partsOfInstant(value, 0, 0) : undefined
  const text = value.trim()
  const iso = ISO.exec(text)
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = iso
    const millisecond = Number(fraction.slice(0, 3).padEnd(3, '0'))
    const offset = zone === undefined ? undefined : readOffset(zone)
    if (zone !== undefined && offset === undefined) return undefined
    return checked(
      { year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi, second: +s, millisecond },
      offset,
    )
  }
  const vn = VIETNAMESE.exec(text)
  if (vn) {
    const [, d, mo, y, h = '0', mi = '0', s = '0'] = vn
    return checked(
      { year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi, second: +s, millisecond: 0 },
      undefined,
    )
  }
  return undefined
}

/** Like {@link readDateParts} for a function argument: missing stays missing, anything unreadable fails. */
export function readDateArgument(value: unknown, fn: string): DateParts | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const parts = typeof value === 'string' || typeof value === 'number' ? readDateParts(value) : undefined
  if (!parts) throw new MappingError('invalid_date', `$${fn}: ${describeValue(value)} is not a valid date`)
  return parts
}

/** Reads `Z`, `+07:00` or `+0700` as minutes east of UTC. */
export function readOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
  if (!match) return undefined
  const minutes = Number(match[2]) * 60 + Number(match[3])
  if (minutes > 14 * 60 || Number(match[3]) > 59) return undefined
  return match[1] === '-' ? -minutes : minutes
}

/** Validates the calendar (no 30 February, no hour 25). */
export function checked(parts: DateParts, offsetMinutes: number | undefined): DateParts | undefined {
  const { year, month, day, hour, minute, second } = parts
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  return offsetMinutes === undefined ? parts : { ...parts, offsetMinutes }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** The instant the parts denote, reading an offset-less value at `assumedOffset` minutes east of UTC. */
export function instantOf(parts: DateParts, assumedOffset: number): number {
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999 (BC's empty date is 0001-01-01).
  date.setUTCFullYear(parts.year, parts.month - 1, parts.day)
  date.setUTCHours(parts.hour, parts.minute, parts.second, parts.millisecond)
  return date.getTime() - (parts.offsetMinutes ?? assumedOffset) * 60_000
}

/** The wall-clock parts of an instant at a given offset. */
export function partsOfInstant(
  epochMs: number,
  offsetMinutes: number,
  keepOffset: number | undefined,
): DateParts {
  const date = new Date(epochMs + offsetMinutes * 60_000)
  const parts: DateParts = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  }
  return keepOffset === undefined ? parts : { ...parts, offsetMinutes: keepOffset }
}

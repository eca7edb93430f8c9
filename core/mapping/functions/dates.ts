import type { MappingFunction } from '../mapping-context.ts'
import { MappingError } from '../mapping-error.ts'
import type { DateParts } from './date-parts.ts'
import { instantOf, partsOfInstant, readDateArgument, readOffset } from './date-parts.ts'
import { parseDatePattern } from './date-pattern.ts'
import { describeValue } from './read-arguments.ts'

const VIETNAM_OFFSET = 7 * 60

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

function dateText(p: DateParts): string {
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

function timeText(p: DateParts): string {
  const fraction = p.millisecond === 0 ? '' : `.${pad(p.millisecond, 3)}`
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${fraction}`
}

function readAssumedOffset(value: unknown, fn: string): number {
  if (value === undefined) return 0
  const offset = typeof value === 'string' ? readOffset(value) : undefined
  if (offset === undefined) {
    throw new MappingError(
      'invalid_argument',
      `$${fn}: offset must look like "Z" or "+07:00", got ${describeValue(value)}`,
    )
  }
  return offset
}

/**
 * `$bcDate(x)` → `YYYY-MM-DD`, the calendar date as written in `x` (no time-zone shift: an invoice dated
 * 2026-04-15 stays dated 2026-04-15). Accepts ISO dates and date-times, `dd/MM/yyyy` and epoch ms.
 */
function bcDate(value: unknown): string | undefined {
  const parts = readDateArgument(value, 'bcDate')
  return parts && dateText(parts)
}

/** `$vnDate(x)` → `dd/MM/yyyy`, the calendar date as written (compose with `$vietnamTime` to shift first). */
function vnDate(value: unknown): string | undefined {
  const parts = readDateArgument(value, 'vnDate')
  return parts && `${pad(parts.day)}/${pad(parts.month)}/${pad(parts.year, 4)}`
}

/**
 * `$isoDateTime(x, assumeOffset = 'Z')` → ISO 8601 in UTC (`2026-04-15T03:00:00Z`), as BC writes date-times.
 * A value without an offset is read at `assumeOffset` (pass `'+07:00'` for MISA's local times).
 */
function isoDateTime(value: unknown, assumeOffset?: unknown): string | undefined {
  const parts = readDateArgument(value, 'isoDateTime')
  if (!parts) return undefined
  const utc = partsOfInstant(instantOf(parts, readAssumedOffset(assumeOffset, 'isoDateTime')), 0, 0)
  return `${dateText(utc)}T${timeText(utc)}Z`
}

/**
 * `$vietnamTime(x, assumeOffset = '+07:00')` → the same instant in Vietnam time, ISO with `+07:00`.
 * A value without an offset is taken as Vietnam local time, as core/vietnam reads MISA's times.
 */
function vietnamTime(value: unknown, assumeOffset: unknown = '+07:00'): string | undefined {
  const parts = readDateArgument(value, 'vietnamTime')
  if (!parts) return undefined
  const instant = instantOf(parts, readAssumedOffset(assumeOffset, 'vietnamTime'))
  const local = partsOfInstant(instant, VIETNAM_OFFSET, VIETNAM_OFFSET)
  return `${dateText(local)}T${timeText(local)}+07:00`
}

/**
 * `$parseDate(x, format)` reads a date written in an explicit pattern (`dd/MM/yyyy`, `yyyyMMdd`,
 * `dd.MM.yyyy HH:mm`…) and returns ISO: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm:ss` when the pattern has a time.
 */
function parseDate(value: unknown, format: unknown): string | undefined {
  if (typeof format !== 'string' || format === '') {
    throw new MappingError('invalid_argument', `$parseDate: format must be a pattern such as "dd/MM/yyyy"`)
  }
  if (value === undefined || value === null || value === '') return undefined
  const parsed = typeof value === 'string' ? parseDatePattern(value.trim(), format) : undefined
  if (!parsed) {
    throw new MappingError('invalid_date', `$parseDate: ${describeValue(value)} does not match "${format}"`)
  }
  return parsed.hasTime ? `${dateText(parsed.parts)}T${timeText(parsed.parts)}` : dateText(parsed.parts)
}

/** Date functions, by JSONata name. */
export const dateFunctions: Record<string, MappingFunction> = {
  bcDate,
  vnDate,
  isoDateTime,
  vietnamTime,
  parseDate,
}

/**
 * Periods of documents (`yyyy-mm-dd`, `to` exclusive): checking what a caller asked for, and working out
 * what a daily schedule reconciles today, in the schedule's time zone.
 */
import { CronExpressionParser } from 'cron-parser'
import type { SchedulePeriod } from '../store/reconcile-schedules-store.ts'
import type { Period } from './reconcile-flow.ts'

/** The longest period one reconciliation covers (ten years). */
export const MAX_PERIOD_DAYS = 3660

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar date written `yyyy-mm-dd`. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text)
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === text
}

/** `day` moved by `days` (negative: back). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** What is wrong with a requested period, each problem naming its field; empty when it is fine. */
export function periodProblems(period: {
  from: string
  to: string
}): { field: 'from' | 'to'; detail: string }[] {
  const problems: { field: 'from' | 'to'; detail: string }[] = []
  for (const field of ['from', 'to'] as const)
    if (!isDay(period[field]))
      problems.push({ field, detail: `must be a date yyyy-mm-dd (got "${period[field]}")` })
  if (problems.length > 0) return problems
  if (period.from >= period.to) problems.push({ field: 'to', detail: 'must be after from (to is exclusive)' })
  else if ((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 > MAX_PERIOD_DAYS)
    problems.push({ field: 'to', detail: `a period covers at most ${MAX_PERIOD_DAYS} days` })
  return problems
}

/** True when `timezone` is an IANA time zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone })
    return true
  } catch {
    return false
  }
}

/** The calendar date of an instant in a time zone. */
export function localDay(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant)
}

/**
 * The period a daily run reconciles: from the sample period's first day through yesterday, or the last
 * `days` whole days — a reversal or an outside payment in an earlier day is still caught. Today is left
 * out: its documents are still arriving.
 */
export function scheduledPeriod(spec: SchedulePeriod, now: Date, timezone: string): Period {
  const today = localDay(now, timezone)
  if ('since' in spec) return { from: spec.since, to: today > spec.since ? today : addDays(spec.since, 1) }
  return { from: addDays(today, -spec.days), to: today }
}

/** The next time after `after` that a schedule at `at` (HH:MM) in `timezone` runs. */
export function nextScheduledRun(at: string, timezone: string, after: Date): Date {
  const [hour, minute] = at.split(':').map(Number)
  return CronExpressionParser.parse(`${minute} ${hour} * * *`, { currentDate: after, tz: timezone })
    .next()
    .toDate()
}

/** Checks what the schema cannot: cron expressions, IANA time zones, and schedule vs. every. */

import { cronProblem } from './cron-problem.ts'
import type { Diagnostic } from './diagnostic.ts'
import { objectOf } from './manifest-data.ts'
import { diagnosticAt, type ManifestSource } from './manifest-source.ts'

/** Diagnostics for `trigger`; `data` may be partly invalid. */
export function checkFlowTrigger(source: ManifestSource, data: unknown): Diagnostic[] {
  const trigger = objectOf(objectOf(data)?.trigger)
  if (!trigger) return []
  const out: Diagnostic[] = []
  const schedule = trigger.schedule
  const cron = typeof schedule === 'string' ? schedule : objectOf(schedule)?.cron
  const cronPointer = typeof schedule === 'string' ? '/trigger/schedule' : '/trigger/schedule/cron'
  const problem = typeof cron === 'string' ? cronProblem(cron) : undefined
  if (problem) {
    out.push(
      diagnosticAt(source, cronPointer, 'value', {
        code: 'invalid-cron',
        message: `trigger.schedule "${cron}" is not valid cron: ${problem}`,
      }),
    )
  }
  const timezone = objectOf(schedule)?.timezone
  if (typeof timezone === 'string' && !isTimeZone(timezone)) {
    out.push(
      diagnosticAt(source, '/trigger/schedule/timezone', 'value', {
        code: 'invalid-timezone',
        message: `unknown time zone "${timezone}" in trigger.schedule.timezone; use an IANA name such as UTC, Europe/Amsterdam or Asia/Ho_Chi_Minh`,
      }),
    )
  }
  if (schedule !== undefined && trigger.every !== undefined) {
    out.push(
      diagnosticAt(source, '/trigger/every', 'key', {
        code: 'conflicting-fields',
        message: 'trigger sets both schedule and every; use one of them',
      }),
    )
  }
  return out
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

import type { Translate } from './i18n/translator.ts'

/**
 * A flow's cadence in words: the common cron shapes ("every 15 minutes", "every hour", "daily at
 * 02:00 UTC"), an interval, and "when notified" for webhooks; other cron expressions as written.
 */
export function describeCadence(
  t: Translate,
  move: { schedule: string | null; every?: string | null; webhook: boolean },
): string {
  const parts: string[] = []
  const cron = move.schedule?.trim().split(/\s+/)
  if (cron?.length === 5 && cron.slice(2).every((f) => f === '*')) {
    const [minute, hour] = cron as [string, string]
    const everyMinutes = /^\*\/(\d+)$/.exec(minute)
    if (everyMinutes && hour === '*') parts.push(t('cadence.minutes', { n: everyMinutes[1]! }))
    else if (minute === '*' && hour === '*') parts.push(t('cadence.minutes', { n: 1 }))
    else if (/^\d+$/.test(minute) && hour === '*') parts.push(t('cadence.hourly'))
    else if (/^\d+$/.test(minute) && /^\d+$/.test(hour))
      parts.push(t('cadence.daily', { time: `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}` }))
    else parts.push(move.schedule!)
  } else if (move.schedule) parts.push(move.schedule)
  if (move.every) parts.push(t('cadence.every', { interval: move.every }))
  if (move.webhook) parts.push(t('cadence.webhook'))
  return parts.length ? parts.join(t('cadence.and')) : t('cadence.onDemand')
}

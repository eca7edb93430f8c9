import { type Language, LOCALES } from './i18n/translator.ts'

/**
 * A moment as date and time in the tenant's time zone, written the language's way; `style: 'date'`
 * leaves the time out. Undefined or null reads as an empty string (the caller says "never").
 */
export function formatDate(
  language: Language,
  timeZone: string,
  value: Date | string | null | undefined,
  style: 'date' | 'dateTime' = 'dateTime',
): string {
  if (value === null || value === undefined) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(LOCALES[language], {
    timeZone,
    dateStyle: 'medium',
    ...(style === 'dateTime' ? { timeStyle: 'short' } : {}),
  }).format(date)
}

/** True when Intl knows `zone` (a tenant's time zone is checked with this before it is saved). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

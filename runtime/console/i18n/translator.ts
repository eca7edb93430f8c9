import { en, type MessageKey } from './messages-en.ts'
import { vi } from './messages-vi.ts'

/** The console's languages, by their BCP 47 tag. */
export const LANGUAGES = ['en', 'vi'] as const

/** A console language. */
export type Language = (typeof LANGUAGES)[number]

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { en, vi }

/** The locale Intl formats numbers and dates with in each language. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', vi: 'vi-VN' }

/** Translates a message key, filling `{name}` placeholders from `values`. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

/** The translator of one language; a placeholder without a value stays visible as `{name}`. */
export function createTranslator(language: Language): Translate {
  const messages = CATALOGUES[language]
  return (key, values) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    )
}

/** True when `value` is one of {@link LANGUAGES}. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/** True when `value` names a message of the catalogue (e.g. a notice key carried in a redirect). */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value)
}

/** The language a request asked for: its cookie, else the first known one of Accept-Language, else English. */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(cookie)) return cookie
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase().split('-')[0]
    if (isLanguage(tag)) return tag
  }
  return 'en'
}

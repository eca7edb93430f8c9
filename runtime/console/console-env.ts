import type { ConsoleSession } from '../store/console-sessions-store.ts'
import type { MessageKey } from './i18n/messages-en.ts'
import type { Language, Translate } from './i18n/translator.ts'

/** What every page renders with: the language, its translator, formatters in the tenant's zone, the CSRF token. */
export interface View {
  language: Language
  t: Translate
  /** The tenant's IANA time zone. */
  timeZone: string
  /** The request path (the language switch returns here; the nav marks it). */
  path: string
  /** The CSRF token every POST form carries in its `_csrf` field; empty before sign-in. */
  csrf: string
  /** The tenant's name, shown in the header. */
  tenantName: string
  /** A notice carried by the redirect after a change (`?notice=<message key>`). */
  notice?: MessageKey
  money(amount: number, currency: string): string
  date(value: Date | string | null | undefined, style?: 'date' | 'dateTime'): string
}

/** The Hono environment of the console's signed-in pages. */
export interface ConsoleEnv {
  Variables: {
    session: ConsoleSession
    /** The clear session token (for the CSRF token); never rendered. */
    sessionToken: string
    view: View
  }
}

import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { View } from './console-env.ts'
import { formatDate } from './format-date.ts'
import { formatMoney } from './format-money.ts'
import { createTranslator, isMessageKey, pickLanguage } from './i18n/translator.ts'
import { LANGUAGE_COOKIE } from './session-cookie.ts'

/** The {@link View} of a request: its language (cookie, else Accept-Language), the tenant's zone and names. */
export function buildView(c: Context, input: { timeZone: string; csrf: string; tenantName: string }): View {
  const language = pickLanguage(getCookie(c, LANGUAGE_COOKIE), c.req.header('accept-language'))
  const url = new URL(c.req.url)
  const notice = url.searchParams.get('notice')
  return {
    language,
    t: createTranslator(language),
    timeZone: input.timeZone,
    path: url.pathname,
    csrf: input.csrf,
    tenantName: input.tenantName,
    notice: isMessageKey(notice) ? notice : undefined,
    money: (amount, currency) => formatMoney(language, amount, currency),
    date: (value, style) => formatDate(language, input.timeZone, value, style),
  }
}

import { type Language, LOCALES } from './i18n/translator.ts'

/**
 * An amount in its currency, the way the language writes it: each currency with its own minor unit
 * (VND and JPY none, USD and EUR two), so 1234567 VND reads "1.234.567 ₫" in Vietnamese and
 * "₫1,234,567" in English. An unknown currency code falls back to the number and the code.
 */
export function formatMoney(language: Language, amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency }).format(amount)
  } catch {
    return `${new Intl.NumberFormat(LOCALES[language]).format(amount)} ${currency}`
  }
}

import type { View } from '../console-env.ts'

const CURRENCY_FIELD = /^(currency|currencyCode|currency_id|currencyId)$/i
const AMOUNT_FIELD = /amount|sum|total|price|cost/i

/**
 * The source record's top-level scalar fields as a list, amounts written as money in the record's
 * currency (a field named like `currencyCode`; VND has no minor unit) and the page's language.
 */
export function SourceFacts(props: { view: View; source: Record<string, unknown> }) {
  const { view, source } = props
  const currencyKey = Object.keys(source).find((k) => CURRENCY_FIELD.test(k) && typeof source[k] === 'string')
  const currency = currencyKey ? (source[currencyKey] as string) || undefined : undefined
  const scalars = Object.entries(source).filter(
    ([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  )
  if (scalars.length === 0) return null
  return (
    <dl class="facts">
      {scalars.slice(0, 20).map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>
            {typeof v === 'number' && currency && AMOUNT_FIELD.test(k) ? view.money(v, currency) : String(v)}
          </dd>
        </>
      ))}
    </dl>
  )
}

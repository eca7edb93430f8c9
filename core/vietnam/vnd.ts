/**
 * Vietnamese đồng arithmetic. VND has no minor unit: every amount that reaches the ledger is a whole
 * number of đồng, and line amounts must add up to the totals exactly.
 */

/** How a foreign amount converts: `*` multiplies by the rate (USD → VND), `/` divides by it. */
export type ExchangeRateOperator = '*' | '/'

// Products like 0.1 * 3 carry binary noise; 15 significant digits are exact for any realistic amount.
function clean(x: number): number {
  return Number(x.toPrecision(15))
}

/** Rounds to whole đồng, halves away from zero (1.5 → 2, −1.5 → −2). Throws on non-finite input. */
export function roundVnd(amount: number): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw new Error(`VND amount must be a finite number, got ${amount}`)
  const rounded = Math.sign(amount) * Math.round(Math.abs(clean(amount)))
  return rounded === 0 ? 0 : rounded
}

/** Returns the amount when it is a whole number of đồng within the safe integer range; throws otherwise. */
export function assertVnd(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount)) throw new Error(`${what} must be a whole number of đồng, got ${amount}`)
  return amount
}

/** The amount of a line: quantity × unit price, rounded to the đồng (prices and quantities may have decimals). */
export function lineAmount(quantity: number, unitPrice: number): number {
  return roundVnd(quantity * unitPrice)
}

/** Adds whole-đồng amounts exactly; throws when one of them is not whole. */
export function sumVnd(amounts: readonly number[]): number {
  let total = 0
  for (const [i, amount] of amounts.entries()) total += assertVnd(amount, `amount #${i + 1}`)
  return assertVnd(total, 'total')
}

/**
 * Splits a whole-đồng total over lines in proportion to `weights`; every line is rounded and the last
 * line takes the remainder, so the parts always add up to the total.
 */
export function distributeVnd(total: number, weights: readonly number[]): number[] {
  assertVnd(total, 'total')
  if (weights.length === 0) throw new Error('cannot distribute an amount over zero lines')
  const weightSum = weights.reduce((a, w) => a + w, 0)
  if (!Number.isFinite(weightSum) || weightSum === 0)
    throw new Error('distribution weights must not sum to 0')
  const parts = weights.slice(0, -1).map((w) => roundVnd((total * w) / weightSum))
  parts.push(total - parts.reduce((a, p) => a + p, 0))
  return parts
}

/** Converts an original-currency amount to whole đồng with AMIS's rate and operator. */
export function convertToVnd(
  amountOc: number,
  exchangeRate: number,
  operator: ExchangeRateOperator = '*',
): number {
  if (!Number.isFinite(exchangeRate) || exchangeRate <= 0)
    throw new Error(`exchange rate must be positive, got ${exchangeRate}`)
  if (operator === '*') return roundVnd(amountOc * exchangeRate)
  if (operator === '/') return roundVnd(amountOc / exchangeRate)
  throw new Error(`exchange rate operator must be "*" or "/", got "${operator}"`)
}

/** One voucher line's money, as AMIS names it. */
export interface VndLine {
  amount: number
  vat_amount?: number
  discount_amount?: number
}

/** The header totals AMIS expects for a set of lines. */
export interface VndTotals {
  total_sale_amount: number
  total_discount_amount: number
  total_vat_amount: number
  total_amount: number
}

/** Computes voucher totals from lines, exact to the đồng: total = sale − discount + VAT. */
export function voucherTotals(lines: readonly VndLine[]): VndTotals {
  const sale = sumVnd(lines.map((l) => l.amount))
  const discount = sumVnd(lines.map((l) => l.discount_amount ?? 0))
  const vat = sumVnd(lines.map((l) => l.vat_amount ?? 0))
  return {
    total_sale_amount: sale,
    total_discount_amount: discount,
    total_vat_amount: vat,
    total_amount: sale - discount + vat,
  }
}

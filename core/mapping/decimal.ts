/**
 * Exact decimal arithmetic for money: a number is read through its shortest round-trip decimal text
 * (what `String(x)` prints), so 1.005 is treated as the decimal 1.005 the author typed, not as the binary
 * double 1.00499999999999989… that `Math.round` would see.
 */

/** A decimal value `units × 10^-scale`, exact. */
export interface Decimal {
  units: bigint
  scale: number
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

/** Reads a finite number or a plain numeric string (`"1 234,5"` is not accepted) as an exact decimal. */
export function toDecimal(value: number | string): Decimal | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined
  const text = typeof value === 'number' ? String(value) : value.trim()
  const match = DECIMAL_TEXT.exec(text)
  if (!match) return undefined
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return undefined
  let units = BigInt(whole + fraction || '0')
  let scale = fraction.length - Number(exponent)
  if (scale < 0) {
    units *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { units: sign === '-' ? -units : units, scale }
}

/** Converts an exact decimal back to the nearest double (via its decimal text, so no drift is added). */
export function decimalToNumber(value: Decimal): number {
  const result = Number(value.scale === 0 ? `${value.units}` : `${value.units}e-${value.scale}`)
  return Object.is(result, -0) ? 0 : result
}

/** Rescales to `scale` decimals exactly (only upwards: more decimals never loses anything). */
export function widen(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale)
}

/** Divides two integers, rounding half away from zero (money rounding, never banker's rounding). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero')
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const quotient = (2n * n + d) / (2n * d)
  return negative ? -quotient : quotient
}

/** Rounds to `decimals` places, half away from zero. */
export function roundDecimal(value: Decimal, decimals: number): Decimal {
  if (value.scale <= decimals) return value
  const units = divideRounded(value.units, 10n ** BigInt(value.scale - decimals))
  return { units, scale: decimals }
}

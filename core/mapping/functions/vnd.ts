import { decimalToNumber, divideRounded, roundDecimal } from '../decimal.ts'
import type { MappingFunction } from '../mapping-context.ts'
import { MappingError } from '../mapping-error.ts'
import { describeValue, readAmount } from './read-arguments.ts'

/** `$vnd(x)`: whole đồng (VND has no minor unit), half away from zero; a missing value stays missing. */
function vnd(value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value)) return value
  return decimalToNumber(roundDecimal(readAmount(value, 'vnd'), 0))
}

/**
 * `$toVnd(amount, rate, operator = '*')`: converts a foreign-currency amount to whole đồng the way AMIS
 * stores it (`exchange_rate` with `exchange_rate_operator` `*` or `/`), computed exactly, rounded once.
 */
function toVnd(amount: unknown, rate: unknown, operator: unknown = '*'): number | undefined {
  if (amount === undefined) return undefined
  const value = readAmount(amount, 'toVnd')
  const factor = readAmount(rate, 'toVnd', 'rate')
  if (operator === '*') {
    const product = { units: value.units * factor.units, scale: value.scale + factor.scale }
    return decimalToNumber(roundDecimal(product, 0))
  }
  if (operator !== '/') {
    throw new MappingError(
      'invalid_argument',
      `$toVnd: operator must be "*" or "/", got ${describeValue(operator)}`,
    )
  }
  if (factor.units === 0n) throw new MappingError('invalid_argument', '$toVnd: cannot divide by a zero rate')
  // value / factor = (v.units · 10^f.scale) / (f.units · 10^v.scale)
  const numerator = value.units * 10n ** BigInt(factor.scale)
  const denominator = factor.units * 10n ** BigInt(value.scale)
  return decimalToNumber({ units: divideRounded(numerator, denominator), scale: 0 })
}

/** VND functions, by JSONata name. */
export const vndFunctions: Record<string, MappingFunction> = { vnd, toVnd }

import { decimalToNumber, divideRounded, roundDecimal, widen } from '../decimal.ts'
import type { MappingFunction } from '../mapping-context.ts'
import { MappingError } from '../mapping-error.ts'
import { readAmount, readDecimals, readList } from './read-arguments.ts'

/**
 * `$roundMoney(x, decimals = 2)`: rounds half away from zero on the decimal value as written, so
 * 1.005 → 1.01 and 2.675 → 2.68 (plain `$round` sees the binary double and gives 1 and 2.67).
 * A missing value stays missing.
 */
function roundMoney(value: unknown, decimals?: unknown): number | undefined {
  if (value === undefined) return undefined
  const places = readDecimals(decimals, 'roundMoney', 2)
  if (typeof value === 'number' && Number.isInteger(value)) return value
  return decimalToNumber(roundDecimal(readAmount(value, 'roundMoney'), places))
}

/** `$sumMoney(amounts, decimals = 2)`: adds exactly, then rounds once; no amounts sum to 0. */
function sumMoney(values: unknown, decimals?: unknown): number {
  const places = readDecimals(decimals, 'sumMoney', 2)
  const amounts = readList(values).map((value) => readAmount(value, 'sumMoney'))
  const scale = Math.max(places, ...amounts.map((amount) => amount.scale))
  let units = 0n
  for (const amount of amounts) units += widen(amount, scale)
  return decimalToNumber(roundDecimal({ units, scale }, places))
}

/**
 * `$allocate(total, weights, decimals = 2)`: splits `total` in proportion to `weights`, each share rounded
 * half away from zero, the remainder on the last share so the shares add up to the total exactly.
 */
function allocate(total: unknown, weights: unknown, decimals?: unknown): number[] {
  const places = readDecimals(decimals, 'allocate', 2)
  const whole = roundDecimal(readAmount(total, 'allocate', 'total'), places)
  const totalUnits = widen(whole, places)
  const parts = readList(weights).map((weight) => readAmount(weight, 'allocate', 'weight'))
  if (parts.length === 0) throw new MappingError('invalid_argument', '$allocate: weights must not be empty')
  const scale = Math.max(...parts.map((part) => part.scale))
  const scaled = parts.map((part) => widen(part, scale))
  const weightSum = scaled.reduce((sum, weight) => sum + weight, 0n)
  if (weightSum === 0n) throw new MappingError('invalid_argument', '$allocate: weights add up to zero')
  const shares: bigint[] = []
  let allocated = 0n
  for (let i = 0; i < scaled.length - 1; i++) {
    const share = divideRounded(totalUnits * scaled[i]!, weightSum)
    shares.push(share)
    allocated += share
  }
  shares.push(totalUnits - allocated)
  return shares.map((units) => decimalToNumber({ units, scale: places }))
}

/** Money functions, by JSONata name. */
export const moneyFunctions: Record<string, MappingFunction> = { roundMoney, sumMoney, allocate }

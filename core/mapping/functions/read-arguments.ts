import type { Decimal } from '../decimal.ts'
import { toDecimal } from '../decimal.ts'
import { MappingError } from '../mapping-error.ts'

/** Reads a money amount (number or numeric string) exactly, or fails with `invalid_amount` naming the function. */
export function readAmount(value: unknown, fn: string, what = 'amount'): Decimal {
  const decimal = typeof value === 'number' || typeof value === 'string' ? toDecimal(value) : undefined
  if (!decimal) {
    throw new MappingError('invalid_amount', `$${fn}: ${what} ${describeValue(value)} is not a number`)
  }
  return decimal
}

/** Reads a decimal-places argument (0–12), defaulting when absent. */
export function readDecimals(value: unknown, fn: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 12) {
    throw new MappingError(
      'invalid_argument',
      `$${fn}: decimals must be a whole number from 0 to 12, got ${describeValue(value)}`,
    )
  }
  return value
}

/** JSONata passes a one-element sequence as the bare value; this restores the list. */
export function readList(value: unknown): readonly unknown[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** Shows a value in an error message without dumping whole objects. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

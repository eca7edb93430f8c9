/**
 * How a system rounds money, so that a difference its own arithmetic produces is reported as the
 * system's rounding and not as somebody's mistake. Each target connector declares its rule; the
 * numbers come from the system's documentation (MISA: VAT within ±1 đồng per line, totals the sums of
 * the lines; BC: amounts rounded to the currency's precision, VAT per line).
 */

/** A system's rounding of amounts. */
export interface RoundingRule {
  /** Decimal places the system keeps for an amount in `currency` (VND: 0, USD: 2). */
  decimals(currency: string | undefined): number
  /**
   * Amounts the system computes line by line, with how many units of the last decimal place one line
   * may stray from the exact value. A header total of such an amount is the sum of its rounded lines,
   * so it may differ from a total rounded once by up to that many units per line.
   */
  perLine?: { tax?: number }
}

/** Currencies whose ISO 4217 minor unit is not 2 (the ones Vietnamese and regional books meet). */
const MINOR_UNITS: Record<string, number> = { VND: 0, JPY: 0, KRW: 0, IDR: 0, CLP: 0, BHD: 3, KWD: 3 }

/** The ISO 4217 minor unit of a currency code; 2 for anything not listed, 0 for VND. */
export function isoDecimals(currency: string | undefined): number {
  return MINOR_UNITS[(currency ?? '').toUpperCase()] ?? 2
}

/** Rounding to the currency's ISO minor unit and nothing computed per line. */
export const isoRounding: RoundingRule = { decimals: isoDecimals }

/** How two amounts compare under a rule. */
export type AmountComparison = 'equal' | 'rounding' | 'mistake'

/**
 * Compares two amounts in units of the last kept place: equal when they round to the same value;
 * rounding when they differ by at most `toleranceUnits` (and the tolerance is not 0); otherwise a mistake.
 */
export function compareAmounts(
  expected: number,
  actual: number,
  decimals: number,
  toleranceUnits = 0,
): AmountComparison {
  const scale = 10 ** decimals
  // Half away from zero on the value as printed (15 significant digits strip binary noise like 765.6800000000001).
  const units = (x: number) => {
    const scaled = Number((x * scale).toPrecision(15))
    return Math.sign(scaled) * Math.round(Math.abs(scaled))
  }
  const difference = Math.abs(units(expected) - units(actual))
  if (difference === 0) return 'equal'
  return difference <= toleranceUnits ? 'rounding' : 'mistake'
}

/**
 * Vietnamese VAT codes and AMIS's `vat_rate` enumeration: 0/5/8/10 are percentages, −1 is KCT (not
 * subject to VAT), −2 is KKKNT (not declared), −3 is "other" with the percentage in `other_vat_rate`.
 */
import { roundVnd } from './vnd.ts'

/** AMIS's `vat_rate` values. */
export type AmisVatRate = 0 | 5 | 8 | 10 | -1 | -2 | -3

/** A VAT code resolved to AMIS fields and the percentage to charge. */
export interface VatCode {
  /** The canonical code: `0%`, `5%`, `8%`, `10%`, `KCT`, `KKKNT` or `KHAC:x%` (meInvoice spelling). */
  code: string
  vatRate: AmisVatRate
  /** Only for `vatRate` −3. */
  otherVatRate: number | null
  /** The percentage actually charged (0 for KCT and KKKNT). */
  percent: number
}

const STANDARD = new Set([0, 5, 8, 10])

function other(percent: number, input: unknown): VatCode {
  if (!Number.isFinite(percent) || percent < 0 || percent >= 100)
    throw new Error(`VAT rate "${input}" is not a percentage`)
  return { code: `KHAC:${percent}%`, vatRate: -3, otherVatRate: percent, percent }
}

/**
 * Resolves a VAT code: a number (10, 8 …), `"10%"`, `"KCT"`, `"KKKNT"`, `"KHAC:3.5%"`, or an AMIS
 * `vat_rate` (−1, −2; −3 needs `otherVatRate`). Throws a precise Error on anything else.
 */
export function parseVatCode(input: string | number, otherVatRate?: number | null): VatCode {
  if (typeof input === 'number') {
    if (STANDARD.has(input))
      return { code: `${input}%`, vatRate: input as AmisVatRate, otherVatRate: null, percent: input }
    if (input === -1) return { code: 'KCT', vatRate: -1, otherVatRate: null, percent: 0 }
    if (input === -2) return { code: 'KKKNT', vatRate: -2, otherVatRate: null, percent: 0 }
    if (input === -3) {
      if (otherVatRate === undefined || otherVatRate === null)
        throw new Error('vat_rate -3 (other) needs other_vat_rate')
      return other(otherVatRate, input)
    }
    return other(input, input)
  }
  const text = String(input ?? '')
    .trim()
    .toUpperCase()
  if (text === 'KCT') return parseVatCode(-1)
  if (text === 'KKKNT') return parseVatCode(-2)
  const khac = /^KHAC:\s*(\d+(?:\.\d+)?)\s*%?$/.exec(text)
  if (khac) return other(Number(khac[1]), input)
  const percent = /^(-?\d+(?:\.\d+)?)\s*%?$/.exec(text)
  if (percent) return parseVatCode(Number(percent[1]), otherVatRate)
  throw new Error(`unknown VAT code "${input}": use 0/5/8/10, KCT, KKKNT or KHAC:x%`)
}

/** The AMIS `vat_rate` for a VAT code. */
export function amisVatRate(input: string | number): AmisVatRate {
  return parseVatCode(input).vatRate
}

/** The AMIS `other_vat_rate` for a VAT code (null unless the code is "other"). */
export function amisOtherVatRate(input: string | number): number | null {
  return parseVatCode(input).otherVatRate
}

/** The canonical code for AMIS fields (`vat_rate`, `other_vat_rate`), e.g. −1 → `KCT`. */
export function vatCodeOf(vatRate: number, otherVatRate?: number | null): string {
  return parseVatCode(vatRate, otherVatRate).code
}

/** VAT on a whole-đồng amount, rounded to the đồng. */
export function computeVat(amount: number, code: string | number, otherVatRate?: number | null): number {
  return roundVnd((amount * parseVatCode(code, otherVatRate).percent) / 100)
}

/** Purchases of at least this much (VAT included) must be paid non-cash for input VAT to be deductible (VAT Law 48/2024). */
export const NON_CASH_PAYMENT_THRESHOLD_VND = 5_000_000

/** True when a purchase of `totalAmount` (VAT included) must be paid non-cash to deduct its input VAT. */
export function needsNonCashPayment(totalAmount: number): boolean {
  if (!Number.isFinite(totalAmount)) throw new Error(`amount must be a finite number, got ${totalAmount}`)
  return Math.abs(totalAmount) >= NON_CASH_PAYMENT_THRESHOLD_VND
}

/**
 * Vietnamese e-invoice identifiers (Decree 123/2020, Circular 78/2021, amended by Decree 70/2025):
 * form number ("mẫu số"), symbol ("ký hiệu", e.g. `C26THG`, printed after the form as `1C26THG`),
 * invoice number and the tax-authority (CQT) code.
 */

/** A parsed invoice symbol. */
export interface InvoiceSymbol {
  /** Form number 1-6, when the input carried it (`1C26THG`). */
  formNumber: string | null
  /** The six-character symbol, e.g. `C26THG`. */
  symbol: string
  /** `C`: the invoice carries a tax-authority code; `K`: it does not. */
  withCqtCode: boolean
  year: number
  /** T, D, L, M, N, B, G or H. */
  invoiceType: string
  /** Two letters the seller chose. */
  sellerCode: string
}

const FORM_NUMBERS = new Set(['1', '2', '3', '4', '5', '6'])
const TYPE_LETTERS = new Set(['T', 'D', 'L', 'M', 'N', 'B', 'G', 'H'])

/** Returns the form number ("1" = VAT invoice … "6" = delivery notes) or throws. */
export function parseFormNumber(value: string | number): string {
  const text = String(value ?? '').trim()
  if (!FORM_NUMBERS.has(text)) throw new Error(`invoice form number "${text}" must be one digit 1-6`)
  return text
}

/** Parses `C26THG` or `1C26THG` (case-insensitive) or throws naming the wrong part. */
export function parseInvoiceSymbol(value: string): InvoiceSymbol {
  const text = String(value ?? '')
    .trim()
    .toUpperCase()
  const match = /^([0-9])?([CK])(\d{2})([A-Z])([A-Z0-9]{2})$/.exec(text)
  if (!match)
    throw new Error(
      `invoice symbol "${value}" must look like C26THG (C/K, 2-digit year, type letter, 2 characters)`,
    )
  const [, form, ck, yy, type, seller] = match as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
    string,
  ]
  if (form !== undefined) parseFormNumber(form)
  if (!TYPE_LETTERS.has(type))
    throw new Error(`invoice symbol "${value}": type letter "${type}" is not one of T, D, L, M, N, B, G, H`)
  return {
    formNumber: form ?? null,
    symbol: `${ck}${yy}${type}${seller}`,
    withCqtCode: ck === 'C',
    year: 2000 + Number(yy),
    invoiceType: type,
    sellerCode: seller,
  }
}

/** Returns the invoice number zero-padded to 8 digits (`123` → `00000123`); throws unless 1-99999999. */
export function normalizeInvoiceNumber(value: string | number): string {
  const text = String(value ?? '').trim()
  if (!/^\d{1,8}$/.test(text) || Number(text) === 0)
    throw new Error(`invoice number "${text}" must be 1-8 digits and not 0`)
  return text.padStart(8, '0')
}

/** Returns the tax-authority code in upper case; throws unless it is 34 hexadecimal characters. */
export function normalizeCqtCode(value: string): string {
  const text = String(value ?? '')
    .trim()
    .toUpperCase()
  if (!/^[0-9A-F]{34}$/.test(text))
    throw new Error(`tax-authority (CQT) code must be 34 hexadecimal characters, got ${text.length}`)
  return text
}

/**
 * The natural key of a supplier invoice: seller MST, form, symbol and number, e.g.
 * `0100047516|1|C26THG|00000123`. Two invoices with the same key are the same invoice.
 */
export function invoiceKey(
  sellerTaxCode: string,
  formNumber: string | number,
  symbol: string,
  number: string | number,
): string {
  const parsed = parseInvoiceSymbol(symbol)
  const form = parseFormNumber(formNumber)
  if (parsed.formNumber !== null && parsed.formNumber !== form) {
    throw new Error(`invoice symbol "${symbol}" carries form ${parsed.formNumber} but form ${form} was given`)
  }
  return [String(sellerTaxCode).trim(), form, parsed.symbol, normalizeInvoiceNumber(number)].join('|')
}

import { invoiceKey, normalizeInvoiceNumber } from '../../vietnam/e-invoice.ts'
import { isValidMst, normalizeMst } from '../../vietnam/mst.ts'
import { amisOtherVatRate, amisVatRate, computeVat, parseVatCode } from '../../vietnam/vat.ts'
import { toMisaDateTime } from '../../vietnam/vietnam-time.ts'
import type { MappingFunction } from '../mapping-context.ts'
import { MappingError } from '../mapping-error.ts'

/**
 * Exposes a core/vietnam rule to mappings: a missing first argument stays missing, and the rule's own
 * Error (which names the bad value) becomes an `invalid_argument` MappingError.
 */
function expose(name: string, rule: (...args: any[]) => unknown): MappingFunction {
  return (...args: unknown[]) => {
    if (args[0] === undefined || args[0] === null) return undefined
    try {
      return rule(...args)
    } catch (error) {
      throw new MappingError(
        'invalid_argument',
        `$${name}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}

/** Vietnamese rules from core/vietnam, by JSONata name. */
export const vietnamFunctions: Record<string, MappingFunction> = {
  /** `$isValidMst(x)`: format and mod-11 checksum of a tax code (10, 10-3 or 12 digits). */
  isValidMst: expose('isValidMst', (value: unknown) => isValidMst(String(value))),
  /** `$normalizeMst(x)`: the canonical spelling (`NNNNNNNNNN` or `NNNNNNNNNN-BBB`); fails on an invalid MST. */
  normalizeMst: expose('normalizeMst', (value: unknown) => normalizeMst(String(value))),
  /** `$vatRateCode(x)`: the canonical VAT code (`10%`, `KCT`, `KKKNT`, `KHAC:3.5%`) for 10, '10%', -1… */
  vatRateCode: expose(
    'vatRateCode',
    (value: string | number, other?: number) => parseVatCode(value, other).code,
  ),
  /** `$amisVatRate(x)`: AMIS `vat_rate` (0/5/8/10, −1 KCT, −2 KKKNT, −3 other). */
  amisVatRate: expose('amisVatRate', amisVatRate),
  /** `$amisOtherVatRate(x)`: AMIS `other_vat_rate` (null unless the rate is "other"). */
  amisOtherVatRate: expose('amisOtherVatRate', amisOtherVatRate),
  /** `$vatAmount(amount, code)`: VAT on a whole-đồng amount, rounded to the đồng. */
  vatAmount: expose('vatAmount', computeVat),
  /** `$eInvoiceNumber(x)`: the e-invoice number zero-padded to 8 digits. */
  eInvoiceNumber: expose('eInvoiceNumber', normalizeInvoiceNumber),
  /** `$invoiceKey(mst, form, symbol, number)`: the supplier invoice's natural key for duplicate checks. */
  invoiceKey: expose('invoiceKey', invoiceKey),
  /** `$misaDateTime(x)`: MISA's `yyyy-MM-dd HH:mm:ss` in Vietnam time. */
  misaDateTime: expose('misaDateTime', toMisaDateTime),
}

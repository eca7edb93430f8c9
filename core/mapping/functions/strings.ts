import type { MappingFunction } from '../mapping-context.ts'
import { MappingError } from '../mapping-error.ts'
import { describeValue } from './read-arguments.ts'

/**
 * `$truncate(s, n)`: cuts text to at most `n` characters for a remote field's max length (BC's
 * vendorInvoiceNumber is 35, Basware's description 250). Text is NFC-normalised before cutting, so
 * Vietnamese written with combining marks is not counted twice nor cut between a letter and its mark.
 * A missing value stays missing; numbers become text.
 */
function truncate(value: unknown, length: unknown): string | undefined {
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw new MappingError(
      'invalid_argument',
      `$truncate: length must be a whole number, got ${describeValue(length)}`,
    )
  }
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new MappingError('invalid_argument', `$truncate: expected text, got ${describeValue(value)}`)
  }
  const text = String(value)
  if (text.length <= length) return text
  const normalised = text.normalize('NFC')
  if (normalised.length <= length) return normalised
  let cut = normalised.slice(0, length)
  // Never end on half of a surrogate pair or leave a dangling combining mark's base cut off.
  while (cut.length > 0 && /[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  while (cut.length > 0 && /\p{M}/u.test(normalised[cut.length] ?? '')) cut = cut.slice(0, -1)
  return cut
}

/** String functions, by JSONata name. */
export const stringFunctions: Record<string, MappingFunction> = { truncate }

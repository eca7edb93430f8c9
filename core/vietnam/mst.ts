/**
 * Vietnamese tax codes (MST, "mã số thuế"): 10-digit organisation codes with a mod-11 check digit,
 * 13/14-character branch codes (`0123456789-001`) and 12-digit personal IDs, which serve as tax codes
 * for individuals and have no checksum.
 */

/** What kind of taxpayer a valid MST identifies. */
export type MstKind = 'organisation' | 'branch' | 'personal'

/** The rule a tax code broke. */
export type MstRule = 'empty' | 'format' | 'sequence' | 'checksum' | 'branch-suffix'

/** The outcome of {@link validateMst}. */
export type MstResult =
  | {
      valid: true
      kind: MstKind /** Digits with the branch dash, e.g. `0100047516-001`. */
      normalized: string
      parent?: string
      branch?: string
    }
  | { valid: false; rule: MstRule; message: string }

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3]

/** The check digit of the first nine digits, or `null` when the weighted sum leaves no valid digit. */
export function mstCheckDigit(nineDigits: string): number | null {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error(`MST check digit needs 9 digits, got "${nineDigits}"`)
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * WEIGHTS[i]!
  const digit = 10 - (sum % 11)
  // A remainder of 0 would need the digit "10"; the tax authority never issues such codes.
  return digit === 10 ? null : digit
}

function invalid(rule: MstRule, message: string): MstResult {
  return { valid: false, rule, message }
}

function checkTenDigits(code: string, original: string): MstResult | null {
  if (code.slice(2, 9) === '0000000')
    return invalid('sequence', `MST "${original}": digits 3-9 must not all be 0`)
  if (mstCheckDigit(code.slice(0, 9)) !== Number(code[9])) {
    return invalid('checksum', `MST "${original}": check digit ${code[9]} does not match the mod-11 checksum`)
  }
  return null
}

/**
 * Validates a tax code. Accepts `NNNNNNNNNN`, `NNNNNNNNNN-BBB`, `NNNNNNNNNNBBB` and 12-digit personal IDs;
 * surrounding spaces are ignored. Returns the broken rule instead of throwing.
 */
export function validateMst(value: string): MstResult {
  const text = String(value ?? '').trim()
  if (text === '') return invalid('empty', 'MST is empty')
  const match = /^(\d{10})(?:-?(\d{3}))?$/.exec(text)
  if (!match) {
    if (/^\d{12}$/.test(text)) return { valid: true, kind: 'personal', normalized: text }
    return invalid(
      'format',
      `MST "${text}" must be 10 digits, 10 digits + "-" + 3-digit branch, or a 12-digit personal ID`,
    )
  }
  const [, parent, branch] = match as unknown as [string, string, string | undefined]
  const broken = checkTenDigits(parent, text)
  if (broken) return broken
  if (branch === undefined) return { valid: true, kind: 'organisation', normalized: parent }
  if (branch === '000') return invalid('branch-suffix', `MST "${text}": branch suffix must be 001-999`)
  return { valid: true, kind: 'branch', normalized: `${parent}-${branch}`, parent, branch }
}

/** True when {@link validateMst} accepts the value. */
export function isValidMst(value: string): boolean {
  return validateMst(value).valid
}

/** Returns the normalized MST or throws an Error naming the broken rule (for mappings that must fail). */
export function normalizeMst(value: string): string {
  const result = validateMst(value)
  if (!result.valid) throw new Error(result.message)
  return result.normalized
}

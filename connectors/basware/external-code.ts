/**
 * Basware response `externalCode`s: ≤ 36 characters, new for every distinct response, identical for a
 * retry of the same one, so a repeated transfer response is recognisable on Basware's side.
 */
import { createHash } from 'node:crypto'

/** A 32-hex-character code derived from the runtime's idempotency key (stable per record version + outcome). */
export function externalCodeFor(idempotencyKey: string, purpose: string): string {
  return createHash('sha256').update(`${purpose}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)
}

/**
 * Shortens text to at most `max` UTF-16 code units (how Basware's .NET API counts) without cutting a
 * surrogate pair in half, marking the cut with an ellipsis.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = max - 1
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut--
  return `${text.slice(0, cut)}…`
}

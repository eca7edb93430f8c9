/**
 * Verifies `X-BWAPI-Signature-256`: HMAC-SHA256 over the raw request body, keyed with the
 * subscription's `webhookAuthenticationToken`. Basware does not publish the encoding, so hex and
 * base64 are both accepted, with or without a `sha256=` prefix, unless the connection pins one.
 * The comparison is on the decoded bytes and constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Which digest encodings to accept. */
export type SignatureEncoding = 'auto' | 'hex' | 'base64'

/** The 32 digest bytes a header value claims, or null when it is not a well-formed signature. */
export function decodeSignature(header: string, encoding: SignatureEncoding): Buffer | null {
  const value = header.trim().replace(/^sha256=/i, '')
  const asHex = /^[0-9a-f]{64}$/i.test(value)
  if (asHex && encoding !== 'base64') return Buffer.from(value, 'hex')
  if (encoding === 'hex') return null
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return null
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  return bytes.length === 32 ? bytes : null
}

/** True when `header` is the HMAC-SHA256 of `body` under `secret`. */
export function verifySignature(
  body: Uint8Array,
  header: string,
  secret: string,
  encoding: SignatureEncoding = 'auto',
): boolean {
  const claimed = decodeSignature(header, encoding)
  if (!claimed) return false
  const expected = createHmac('sha256', secret).update(body).digest()
  return timingSafeEqual(claimed, expected)
}

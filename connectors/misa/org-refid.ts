/**
 * `org_refid`, MISA's correlation key for a proposal, derived deterministically from the runtime's
 * idempotency key: a name-based (version 5) UUID, 36 lower-case characters, so a resend of the same
 * record addresses the same proposal and replaces it instead of adding another.
 */
import { createHash } from 'node:crypto'

// Ferry's namespace for MISA proposals; changing it would orphan every pending proposal.
const NAMESPACE = Buffer.from('8f0c6a52d1e44b7a9f3e2c6d5b4a1e90', 'hex')

/** The org_refid for an idempotency key (UUID v5 in Ferry's namespace). */
export function orgRefidFor(idempotencyKey: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(idempotencyKey, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

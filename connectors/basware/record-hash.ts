/**
 * A stable fingerprint of a record (key order does not matter), used to skip sending a master-data
 * record identical to the last one sent: Basware would skip it anyway (`NotProcessed`).
 */
import { createHash } from 'node:crypto'

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

/** SHA-256 (base64url) of the record's canonical JSON. */
export function recordHash(record: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(record)))
    .digest('base64url')
}

import { createHash } from 'node:crypto'

const NAMESPACE = 'ferry:record:v1'

function hashBytes(parts: readonly string[]): Buffer {
  const h = createHash('sha256')
  for (const p of parts) h.update(p).update('\u0000')
  return h.digest()
}

function format(bytes: Buffer): string {
  const hex = bytes.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/**
 * The deterministic id of a record: the same flow, source key and source version always give the
 * same UUID, so a page read twice (after a crash) inserts nothing new and enqueues no duplicate job.
 */
export function recordId(flowId: string, sourceKey: string, sourceVersion: string): string {
  const b = hashBytes([NAMESPACE, flowId, sourceKey, sourceVersion])
  b[6] = (b[6]! & 0x0f) | 0x50
  b[8] = (b[8]! & 0x3f) | 0x80
  return format(b)
}

/** The largest ordinal a sortable id holds: 64 bits, more than a PostgreSQL `bigint` sequence can reach. */
export const MAX_ORDINAL = 2n ** 64n - 1n

/**
 * A deterministic id that sorts by `ordinal` first, then by a hash of `parts` (UUIDv8 layout). pg-boss
 * orders a key's jobs by created_on then id; jobs inserted in one statement share created_on, so a
 * plain hash id would shuffle them (engine-tech §2). The ordinal is a record's place in source order
 * (its `records.seq`), never a clock reading: all 64 of its bits are kept, in the 66 bits a UUID
 * leaves around its version and variant (48 in bytes 0–5, 12 around the version nibble, 4 after the
 * variant), so byte order is ordinal order for every value up to {@link MAX_ORDINAL}.
 */
export function sortableId(ordinal: bigint | number, ...parts: string[]): string {
  const value = BigInt(ordinal)
  if (value < 0n || value > MAX_ORDINAL)
    throw new RangeError(`a sortable id's ordinal must be between 0 and 2^64 − 1 (got ${value})`)
  const b = hashBytes([NAMESPACE, ...parts])
  b.writeUIntBE(Number(value >> 16n), 0, 6)
  b[6] = 0x80 | Number((value >> 12n) & 0xfn)
  b[7] = Number((value >> 4n) & 0xffn)
  b[8] = 0x80 | (Number(value & 0xfn) << 2) | (b[8]! & 0x03)
  return format(b)
}

/** A short stable key for idempotent remote writes (stable per record version and purpose). */
export function idempotencyKey(recordIdValue: string, purpose: string): string {
  return hashBytes([recordIdValue, purpose]).toString('hex').slice(0, 32)
}

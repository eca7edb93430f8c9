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

/**
 * A deterministic id that sorts by `ordinal` first (UUIDv8 layout: 48-bit big-endian ordinal, then a
 * hash). pg-boss orders a key's jobs by created_on then id; jobs inserted in one statement share
 * created_on, so a plain hash id would shuffle them (engine-tech §2). Ordinal = source order.
 */
export function sortableId(ordinal: number, ...parts: string[]): string {
  const b = hashBytes([NAMESPACE, ...parts])
  b.writeUIntBE(Math.max(0, Math.min(ordinal, 2 ** 48 - 1)), 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x80
  b[8] = (b[8]! & 0x3f) | 0x80
  return format(b)
}

/** A short stable key for idempotent remote writes (stable per record version and purpose). */
export function idempotencyKey(recordIdValue: string, purpose: string): string {
  return hashBytes([recordIdValue, purpose]).toString('hex').slice(0, 32)
}

/**
 * Splits a master-data import into requests within Basware's limits: at most `maxRecords` records
 * and a body under 6 MB (with headroom for encoding differences), all of one collection.
 */

/** Largest body the connector sends (Basware refuses bodies over 6 MB). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024

/** Groups items by collection, then cuts each group by count and body size. */
export function chunkRecords<T extends { collection: string; record: unknown }>(
  items: T[],
  maxRecords: number,
  maxBytes = MAX_BODY_BYTES,
): T[][] {
  const byCollection = new Map<string, T[]>()
  for (const item of items)
    byCollection.set(item.collection, [...(byCollection.get(item.collection) ?? []), item])
  const chunks: T[][] = []
  for (const group of byCollection.values()) {
    let current: T[] = []
    let bytes = 2
    for (const item of group) {
      const size = Buffer.byteLength(JSON.stringify(item.record)) + 1
      if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
        chunks.push(current)
        current = []
        bytes = 2
      }
      current.push(item)
      bytes += size
    }
    if (current.length) chunks.push(current)
  }
  return chunks
}

/**
 * The resume point of an incremental BC read, serialised as the page cursor. `nextLink` continues a
 * server-driven paging run verbatim; `since` is the lastModifiedDateTime watermark of the next run.
 */

/** A decoded read cursor. */
export interface ReadCursor {
  /** Watermark of the run in progress (records with lastModifiedDateTime ≥ since). */
  since?: string
  /** BC's `@odata.nextLink` of the run in progress. */
  nextLink?: string
  /** Newest lastModifiedDateTime seen so far in this run: the next run's `since`. */
  seen?: string
}

/** Parses a cursor string; `null` or garbage starts from the beginning. */
export function parseCursor(cursor: string | null): ReadCursor {
  if (!cursor) return {}
  try {
    const parsed = JSON.parse(cursor) as ReadCursor
    return typeof parsed === 'object' && parsed ? parsed : {}
  } catch {
    return {}
  }
}

/** Serialises a cursor. */
export function formatCursor(cursor: ReadCursor): string {
  return JSON.stringify(cursor)
}

/** The later of two ISO timestamps (either may be absent). */
export function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b
  if (!b) return a
  return Date.parse(a) >= Date.parse(b) ? a : b
}

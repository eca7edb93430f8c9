/**
 * The resume point of a declared read, as the cursor string the runtime checkpoints after each page:
 * where the next page is (a URL, token, offset or page number) and the incremental position — the
 * lower bound this read started from and the highest cursor value seen so far.
 */

/** A decoded cursor. */
export interface ReadPosition {
  /** The next page: a URL, a token, an offset or a page number; absent on a fresh read. */
  next?: string | number
  /** The incremental lower bound the read sends (`since`). */
  since?: unknown
  /** The highest cursor value among the records read so far. */
  max?: unknown
}

/** Parses a cursor this module wrote; an unreadable one restarts (records are de-duplicated by identity). */
export function decodeCursor(cursor: string | null): ReadPosition {
  if (!cursor) return {}
  try {
    const parsed = JSON.parse(cursor) as { n?: string | number; s?: unknown; m?: unknown }
    return { next: parsed.n, since: parsed.s, max: parsed.m }
  } catch {
    return {}
  }
}

/** The cursor string of a position; `null` when there is nothing to resume from. */
export function encodeCursor(position: ReadPosition): string | null {
  const out: Record<string, unknown> = {}
  if (position.next !== undefined) out.n = position.next
  if (position.since !== undefined && position.since !== null) out.s = position.since
  if (position.max !== undefined && position.max !== null) out.m = position.max
  return Object.keys(out).length ? JSON.stringify(out) : null
}

/** The later of two cursor values: numbers numerically, anything else as text (ISO dates sort so). */
export function later(a: unknown, b: unknown): unknown {
  if (a === undefined || a === null) return b
  if (b === undefined || b === null) return a
  if (typeof a === 'number' && typeof b === 'number') return a >= b ? a : b
  return String(a) >= String(b) ? a : b
}

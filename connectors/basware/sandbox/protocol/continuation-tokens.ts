/**
 * Basware's header-based paging: a token issued with a page (response header
 * `X-amz-meta-continuationToken`) is only valid with the exact query it came from. The result set is
 * fixed when page 1 is asked for, so documents changing status mid-paging do not shift pages.
 */
import { randomUUID } from 'node:crypto'

interface Cursor {
  queryKey: string
  ids: readonly string[]
  position: number
  expiresAt: number
}

/** What a presented token resolves to. */
export type TokenLookup = { ids: readonly string[]; position: number } | 'unknown' | 'mismatch'

const TOKEN_LIFETIME_MS = 60 * 60 * 1000

/** A canonical key for a query: parameter names lower-cased, sorted, paging header excluded. */
export function queryKey(url: URL): string {
  return [...url.searchParams]
    .map(([k, v]) => `${k.toLowerCase()}=${v}`)
    .sort()
    .join('&')
}

/** Issued continuation tokens. Tokens stay valid for re-use (a retried page gets the same page). */
export class ContinuationTokens {
  private readonly cursors = new Map<string, Cursor>()

  constructor(private readonly now: () => Date) {}

  /** Issues a token for the rest of `ids` from `position`. */
  issue(key: string, ids: readonly string[], position: number): string {
    const token = randomUUID()
    const now = this.now().getTime()
    this.cursors.set(token, { queryKey: key, ids, position, expiresAt: now + TOKEN_LIFETIME_MS })
    for (const [t, c] of this.cursors) {
      if (c.expiresAt > now) break
      this.cursors.delete(t)
    }
    return token
  }

  /** Resolves a token presented with the query `key`. */
  lookup(token: string, key: string): TokenLookup {
    const cursor = this.cursors.get(token)
    if (!cursor || cursor.expiresAt <= this.now().getTime()) return 'unknown'
    if (cursor.queryKey !== key) return 'mismatch'
    return { ids: cursor.ids, position: cursor.position }
  }

  clear(): void {
    this.cursors.clear()
  }
}

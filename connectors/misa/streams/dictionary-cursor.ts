/**
 * The resume point of a master-data read: the `last_sync_time` watermark of this pass, the `skip`
 * reached within it, and the newest `CustomData.LastSyncTime` seen, which becomes the next
 * watermark once a short page ends the pass.
 */
import { ConnectorError } from '../../../core/connector/connector-error.ts'

/** A decoded cursor. */
export interface DictionaryCursor {
  lastSyncTime: string | null
  skip: number
  next: string | null
}

/** Decodes a cursor (null starts from `initial`). Throws `config` on a cursor this connector did not write. */
export function decodeCursor(cursor: string | null, initial: string | null = null): DictionaryCursor {
  if (cursor === null) return { lastSyncTime: initial, skip: 0, next: null }
  let parsed: Partial<DictionaryCursor> | null = null
  try {
    parsed = JSON.parse(cursor) as Partial<DictionaryCursor> | null
  } catch {}
  if (typeof parsed?.skip !== 'number')
    throw new ConnectorError(
      'config',
      `The stored cursor ${JSON.stringify(cursor.slice(0, 80))} is not a MISA dictionary cursor: reset the flow's cursor.`,
    )
  return { lastSyncTime: parsed.lastSyncTime ?? null, skip: parsed.skip, next: parsed.next ?? null }
}

/** Encodes a cursor. */
export function encodeCursor(cursor: DictionaryCursor): string {
  return JSON.stringify(cursor)
}

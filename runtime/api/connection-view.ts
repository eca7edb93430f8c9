import type { SecretBox } from '../secrets/secret-box.ts'
import { type ConnectionRow, storedSecretNames } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'

/** What a stored secret shows as: that it is set, never its value. */
export const SECRET_PLACEHOLDER = '••••'

const later = (a: Date | null | undefined, b: Date | null | undefined) =>
  a && b ? (a > b ? a : b) : (a ?? b ?? null)

/**
 * A connection as the API shows it: public config plus a placeholder for each stored secret, since
 * when its status holds, and its last success (a passed check, or `lastDelivered`: the newest record
 * a flow bound to it delivered).
 */
export async function connectionView(db: Db, box: SecretBox, row: ConnectionRow, lastDelivered?: Date) {
  const secretNames = await storedSecretNames(db, box, row.id)
  return {
    id: row.id,
    name: row.name,
    connector: row.connector,
    config: { ...row.config, ...Object.fromEntries(secretNames.map((n) => [n, SECRET_PLACEHOLDER])) },
    status: row.status,
    statusMessage: row.statusMessage,
    statusSince: row.statusSince?.toISOString() ?? null,
    lastSuccessAt: later(row.lastOkAt, lastDelivered)?.toISOString() ?? null,
  }
}

import type { SecretBox } from '../secrets/secret-box.ts'
import type { ConnectionRow } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'

/** What a stored secret shows as: that it is set, never its value. */
export const SECRET_PLACEHOLDER = '••••'

/** A connection as the API shows it: public config plus a placeholder for each stored secret. */
export async function connectionView(db: Db, box: SecretBox, row: ConnectionRow) {
  const sealed = await db
    .selectFrom('connections')
    .select('secrets')
    .where('id', '=', row.id)
    .executeTakeFirst()
  const secretNames = sealed ? Object.keys(box.open(sealed.secrets)) : []
  return {
    id: row.id,
    name: row.name,
    connector: row.connector,
    config: { ...row.config, ...Object.fromEntries(secretNames.map((n) => [n, SECRET_PLACEHOLDER])) },
    status: row.status,
    statusMessage: row.statusMessage,
  }
}

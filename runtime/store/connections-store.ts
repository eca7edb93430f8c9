import { sql } from 'kysely'
import type { JsonSchema } from '../../core/connector/connector.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { Db } from './database.ts'

/** The columns of a {@link ConnectionRow}: every read of a connection returns the same shape. */
const CONNECTION_COLUMNS = [
  'id',
  'tenantId',
  'name',
  'connector',
  'config',
  'status',
  'statusMessage',
  'statusSince',
  'lastOkAt',
] as const

/** A connection with its secrets still sealed. */
export interface ConnectionRow {
  id: string
  tenantId: string
  name: string
  connector: string
  config: Record<string, unknown>
  status: string
  statusMessage: string | null
  /** When the status last changed. */
  statusSince: Date | null
  /** When a check last succeeded. */
  lastOkAt: Date | null
}

/** Names of the config properties marked `writeOnly` (secrets) in a connector's config schema. */
export function secretFields(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, { writeOnly?: boolean }>
  return Object.entries(props)
    .filter(([, p]) => p.writeOnly === true)
    .map(([name]) => name)
}

/** Splits a full config into its public part and its secrets. */
export function splitSecrets(schema: JsonSchema, config: Record<string, unknown>) {
  const secretNames = new Set(secretFields(schema))
  const publicPart: Record<string, unknown> = {}
  const secrets: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(config)) (secretNames.has(k) ? secrets : publicPart)[k] = v
  return { publicPart, secrets }
}

/** Creates or replaces a connection (by tenant + name); secrets are sealed before they reach the database. */
export async function saveConnection(
  db: Db,
  box: SecretBox,
  input: {
    tenantId: string
    name: string
    connector: string
    config: Record<string, unknown>
    schema: JsonSchema
  },
): Promise<ConnectionRow> {
  const { publicPart, secrets } = splitSecrets(input.schema, input.config)
  return db
    .insertInto('connections')
    .values({
      tenantId: input.tenantId,
      name: input.name,
      connector: input.connector,
      config: JSON.stringify(publicPart),
      secrets: box.seal(secrets),
    })
    .onConflict((oc) =>
      oc.columns(['tenantId', 'name']).doUpdateSet((eb) => ({
        connector: eb.ref('excluded.connector'),
        config: eb.ref('excluded.config'),
        secrets: eb.ref('excluded.secrets'),
        updatedAt: new Date(),
      })),
    )
    .returning(CONNECTION_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** Reads a connection of a tenant (secrets stay sealed). */
export async function getConnection(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('connections')
    .select(CONNECTION_COLUMNS)
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Lists a tenant's connections. */
export async function listConnections(db: Db, tenantId: string): Promise<ConnectionRow[]> {
  return db
    .selectFrom('connections')
    .select(CONNECTION_COLUMNS)
    .where('tenantId', '=', tenantId)
    .orderBy('name')
    .execute()
}

/** The full config of a connection, secrets opened: only for building a ConnectorContext. */
export async function loadConnectionConfig(db: Db, box: SecretBox, id: string) {
  const row = await db
    .selectFrom('connections')
    .select(['id', 'tenantId', 'name', 'connector', 'config', 'secrets'])
    .select(sql<string>`md5(config::text || secrets)`.as('fingerprint'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const secrets = box.open(row.secrets)
  return {
    row,
    /** See {@link connectionFingerprint}. */
    fingerprint: row.fingerprint,
    config: { ...row.config, ...secrets },
    secretValues: Object.values(secrets).filter((v): v is string => typeof v === 'string'),
  }
}

/** Records the outcome of the latest check: since when the status holds, and when it last worked. */
export async function setConnectionStatus(db: Db, id: string, status: string, message: string | null) {
  await db
    .updateTable('connections')
    .set((eb) => ({
      status,
      statusMessage: message,
      statusSince: sql<Date>`case when ${eb.ref('status')} = ${status} and ${eb.ref('statusSince')} is not null
        then ${eb.ref('statusSince')} else now() end`,
      lastOkAt: status === 'ok' ? sql<Date>`now()` : eb.ref('lastOkAt'),
      updatedAt: new Date(),
    }))
    .where('id', '=', id)
    .execute()
}

/**
 * A digest of a connection's stored config and sealed secrets: it changes with every save, so a
 * process that cached the connection can tell it was changed by another process.
 */
export async function connectionFingerprint(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('connections')
    .select(sql<string>`md5(config::text || secrets)`.as('fingerprint'))
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.fingerprint
}

/** The connector of each of `ids` that is a connection of this tenant (others are missing from the map). */
export async function connectorsOf(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'connector'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...ids])
    .execute()
  return new Map(rows.map((r) => [r.id, r.connector]))
}

/** The names of a connection's stored secrets (never their values); none for an unknown connection. */
export async function storedSecretNames(db: Db, box: SecretBox, id: string): Promise<string[]> {
  const sealed = await db.selectFrom('connections').select('secrets').where('id', '=', id).executeTakeFirst()
  return sealed ? Object.keys(box.open(sealed.secrets)) : []
}

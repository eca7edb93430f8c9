/**
 * The typed view of Ferry's tables and the one place a Kysely instance is built.
 * Column names are snake_case in SQL and camelCase here (CamelCasePlugin keeps jsonb keys as stored).
 */
import { CamelCasePlugin, type ColumnType, type Generated, Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = unknown> = ColumnType<T, string, string>

export interface TenantsTable {
  id: Generated<string>
  name: string
  /** IANA time zone the console shows the tenant's dates in. */
  timeZone: Generated<string>
  createdAt: Timestamp
}

export interface ConsoleSessionsTable {
  id: Generated<string>
  tenantId: string
  keyId: string
  tokenHash: string
  createdAt: Timestamp
  lastSeenAt: Timestamp
  endedAt: Date | null
}

export interface ConsoleSignInLinksTable {
  id: Generated<string>
  tenantId: string
  keyId: string
  tokenHash: string
  expiresAt: Timestamp
  usedAt: Date | null
}

export interface ApiKeysTable {
  id: Generated<string>
  tenantId: string | null
  role: 'admin' | 'tenant'
  prefix: string
  hash: string
  name: string | null
  createdAt: Timestamp
  revokedAt: Date | null
}

export interface ConnectionsTable {
  id: Generated<string>
  tenantId: string
  name: string
  connector: string
  config: Json<Record<string, unknown>>
  secrets: string
  status: Generated<string>
  statusMessage: string | null
  /** When the status last changed (a failing connection fails since then). */
  statusSince: Date | null
  /** When a check last succeeded. */
  lastOkAt: Date | null
  createdAt: Timestamp
  updatedAt: Timestamp
}

export interface ConnectionStateTable {
  connectionId: string
  key: string
  value: Json
  updatedAt: Timestamp
}

export interface FlowsTable {
  id: Generated<string>
  tenantId: string
  name: string
  recipe: string | null
  enabled: Generated<boolean>
  /** `shadow`: reads, maps and checks against the target, writes nothing (go-live's sample period). */
  mode: Generated<'live' | 'shadow'>
  currentVersion: number
  createdAt: Timestamp
  updatedAt: Timestamp
}

export interface FlowVersionsTable {
  flowId: string
  version: number
  manifest: Json<Record<string, unknown>>
  sourceFile: string
  sourceHash: string
  bindings: Json<Record<string, string>>
  createdAt: Timestamp
}

export interface RunsTable {
  id: Generated<string>
  tenantId: string
  flowId: string
  flowVersion: number
  trigger: string
  state: string
  scope: Generated<string>
  window: Json<{ from?: string; to?: string }> | null
  pages: Generated<number>
  recordsRead: Generated<number>
  recordsNew: Generated<number>
  error: Json | null
  startedAt: Timestamp
  finishedAt: Date | null
}

export interface RecordsTable {
  id: string
  tenantId: string
  flowId: string
  flowVersion: number
  runId: string | null
  sourceKey: string
  sourceVersion: string
  orderKey: string | null
  /** Place in source order (a bigint sequence; pg returns it as a string): orders a key's deliveries. */
  seq: Generated<string>
  state: string
  source: Json<Record<string, unknown>>
  mapped: Json | null
  targetId: string | null
  targetNumber: string | null
  correlationId: string | null
  writeAttempted: Generated<boolean>
  /** Read while its flow ran in shadow: delivered only as far as "would write", until the flow goes live. */
  shadow: Generated<boolean>
  /** Steps finished in the current delivery: the write's result, actions done, acknowledged. */
  progress: ColumnType<RecordProgress, string | undefined, string>
  attempts: Generated<number>
  error: Json<Record<string, unknown>> | null
  createdAt: Timestamp
  updatedAt: Timestamp
}

/** What a delivery has already achieved, so a retry resumes instead of repeating. */
export interface RecordProgress {
  written?: { id: string; number?: string; etag?: string }
  actionsDone?: string[]
  acknowledged?: boolean
  /** The source record was claimed (held past its first attempt). */
  claimed?: boolean
  /** The asynchronous outcome said the write failed; the next delivery parks the record with it. */
  remoteFailure?: Record<string, unknown>
}

export interface RecordEventsTable {
  id: Generated<string>
  recordId: string
  at: Timestamp
  type: string
  attempt: number
  durationMs: number | null
  data: Json<Record<string, unknown>>
}

export interface CursorsTable {
  flowId: string
  scope: string
  cursor: string | null
  updatedAt: Timestamp
}

export interface WebhookInboxTable {
  id: Generated<string>
  tenantId: string
  connectionId: string
  receivedAt: Timestamp
  dedupeKey: string | null
  headers: Json<Record<string, string>>
  body: Buffer
  events: Json<unknown[]>
  state: Generated<string>
  error: string | null
}

export interface SubscriptionsTable {
  id: Generated<string>
  tenantId: string
  connectionId: string
  stream: string
  remoteId: string
  expiresAt: Date | null
  secret: string | null
  data: Json<Record<string, unknown>>
  state: Generated<string>
  lastError: string | null
  renewedAt: Date | null
  createdAt: Timestamp
}

export interface RateBucketsTable {
  connectionId: string
  tokens: number
  refilledAt: Timestamp
  used: Generated<string>
  waited: Generated<string>
}

export interface ConcurrencySlotsTable {
  connectionId: string
  slot: number
  holder: string | null
  expiresAt: Date | null
}

export interface MappingRowsTable {
  tenantId: string
  tableName: string
  key: string
  value: Json | null
  status: 'proposed' | 'confirmed'
  reason: string | null
  updatedAt: Timestamp
}

/** Cumulative rate-budget counters of a connection, sampled once a minute (bounded retention). */
export interface RateSamplesTable {
  connectionId: string
  at: Date
  used: string
  waited: string
}

/** A retry of many records at once, kept so its progress can be followed. */
export interface BulkRetriesTable {
  id: Generated<string>
  tenantId: string
  label: string
  recordIds: ColumnType<string[], string[], never>
  createdAt: Timestamp
}

/** Every table Ferry owns (pg-boss keeps its own schema). */
export interface Database {
  webhookInbox: WebhookInboxTable
  subscriptions: SubscriptionsTable
  rateBuckets: RateBucketsTable
  concurrencySlots: ConcurrencySlotsTable
  mappingRows: MappingRowsTable
  tenants: TenantsTable
  consoleSessions: ConsoleSessionsTable
  consoleSignInLinks: ConsoleSignInLinksTable
  apiKeys: ApiKeysTable
  connections: ConnectionsTable
  connectionState: ConnectionStateTable
  flows: FlowsTable
  flowVersions: FlowVersionsTable
  runs: RunsTable
  records: RecordsTable
  recordEvents: RecordEventsTable
  cursors: CursorsTable
  rateSamples: RateSamplesTable
  bulkRetries: BulkRetriesTable
}

/** Ferry's database handle. */
export type Db = Kysely<Database>

/** Opens a pool on `connectionString` (kept separate from pg-boss's own pool). */
export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: 'ferry' })
  // An idle client whose server goes away (a restart, or the shutdown right after pool.end(), which
  // resolves before the sockets close) is already dropped by pg-pool; without a listener its error
  // would crash the process. The next query opens a fresh connection.
  pool.on('error', () => {})
  // Likewise for a checked-out client between two queries: its query fails on its own, the event must not.
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  })
}

/** Asks the database for `select 1`: resolves when it answers, throws when it does not. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

import { type Kysely, sql } from 'kysely'
import type { RecordState } from '../../core/record/record-state.ts'
import type { Database, Db, RecordProgress } from './database.ts'
import { appendReadEvents } from './ledger-store.ts'

/** A record as the engine works with it. */
export interface RecordRow {
  id: string
  tenantId: string
  flowId: string
  flowVersion: number
  runId: string | null
  sourceKey: string
  sourceVersion: string
  orderKey: string | null
  /** Place in source order (a bigint, as a string). */
  seq: string
  state: RecordState
  source: Record<string, unknown>
  mapped: unknown
  targetId: string | null
  targetNumber: string | null
  correlationId: string | null
  writeAttempted: boolean
  /** Read while the flow ran in shadow: delivered as far as "would write" only. */
  shadow: boolean
  progress: RecordProgress
  attempts: number
  error: Record<string, unknown> | null
  createdAt: Date
  updatedAt: Date
}

/** A new record read from a source. */
export interface NewRecord {
  id: string
  tenantId: string
  flowId: string
  flowVersion: number
  /** The run that read it; null for a record created on demand (a master another record needed). */
  runId: string | null
  sourceKey: string
  sourceVersion: string
  orderKey: string | null
  source: Record<string, unknown>
  /** True when an earlier version of this key may already be in the target: delivery looks first. */
  writeAttempted?: boolean
  /** Read while the flow runs in shadow (see {@link flowModeForPage}). */
  shadow?: boolean
}

/** Of `keys`, those for which an earlier version was (or may have been) written to the target. */
export async function keysPossiblyWritten(
  db: Kysely<Database>,
  flowId: string,
  keys: string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await db
    .selectFrom('records')
    .select('sourceKey')
    .distinct()
    .where('flowId', '=', flowId)
    .where('sourceKey', 'in', keys)
    .where('writeAttempted', '=', true)
    .execute()
  return new Set(rows.map((r) => r.sourceKey))
}

/**
 * Inserts a page of records; a record already known (same flow, key and version) is left alone.
 * Returns the records actually inserted with their place in source order (`seq`, assigned in the
 * order given), each with a `read` ledger event. Call inside the page transaction.
 */
export async function insertRecords(
  db: Kysely<Database>,
  records: NewRecord[],
): Promise<{ id: string; seq: bigint }[]> {
  if (records.length === 0) return []
  const inserted = await db
    .insertInto('records')
    .values(records.map((r) => ({ ...r, state: 'queued', source: JSON.stringify(r.source) })))
    .onConflict((oc) => oc.columns(['flowId', 'sourceKey', 'sourceVersion']).doNothing())
    .returning(['id', 'seq'])
    .execute()
  const byId = new Map(records.map((r) => [r.id, r]))
  await appendReadEvents(
    db,
    inserted.map(({ id }) => {
      const r = byId.get(id)!
      return { recordId: id, runId: r.runId, sourceKey: r.sourceKey, sourceVersion: r.sourceVersion }
    }),
  )
  return inserted.map((r) => ({ id: r.id, seq: BigInt(r.seq) }))
}

/**
 * How many of `ids` are stored already: one primary-key probe, so a poll whose page only repeats
 * records it stored before (an incremental read that re-reads its newest record) needs no page
 * transaction.
 */
export async function countStoredRecords(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0
  const { count } = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('id', 'in', [...ids])
    .executeTakeFirstOrThrow()
  return Number(count)
}

/** Reads one record. */
export async function getRecord(db: Kysely<Database>, id: string): Promise<RecordRow | undefined> {
  return db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
    RecordRow | undefined
  >
}

/** Records by id, in one query (absent ids are missing from the map). */
export async function getRecordsById(db: Db, ids: readonly string[]): Promise<Map<string, RecordRow>> {
  if (ids.length === 0) return new Map()
  const rows = (await db
    .selectFrom('records')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()) as RecordRow[]
  return new Map(rows.map((r) => [r.id, r]))
}

/** The fields a delivery step may change. */
export interface RecordPatch {
  state?: RecordState
  mapped?: unknown
  targetId?: string | null
  targetNumber?: string | null
  correlationId?: string | null
  writeAttempted?: boolean
  progress?: RecordProgress
  attempts?: number
  error?: Record<string, unknown> | null
  flowVersion?: number
  shadow?: boolean
}

/** Finds the record waiting for an asynchronous outcome with this correlation id. */
export async function findByCorrelation(
  db: Db,
  tenantId: string,
  correlationId: string,
): Promise<RecordRow | undefined> {
  return db
    .selectFrom('records')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('correlationId', '=', correlationId)
    .orderBy('updatedAt', 'desc')
    .executeTakeFirst() as Promise<RecordRow | undefined>
}

/**
 * The newest record of a flow whose source record has `field` = `value` (e.g. the vendor whose
 * `number` an invoice names), or undefined.
 */
export async function newestRecordWithSourceField(
  db: Db,
  flowId: string,
  field: string,
  value: string,
): Promise<RecordRow | undefined> {
  return db
    .selectFrom('records')
    .selectAll()
    .where('flowId', '=', flowId)
    .where(sql<string>`source ->> ${field}`, '=', value)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<RecordRow | undefined>
}

/** Counts a flow's records by state. */
export async function countByState(db: Db, flowId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('flowId', '=', flowId)
    .groupBy('state')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
}

/** A record a replay was asked for, with whether its last change is older than `staleMs` (by the database's clock). */
export type ReplayCandidate = RecordRow & { stale: boolean }

/** A tenant's records of `ids` (others are missing), each with its staleness by the database's clock. */
export async function recordsForReplay(
  db: Db,
  tenantId: string,
  ids: readonly string[],
  staleMs: number,
): Promise<ReplayCandidate[]> {
  if (ids.length === 0) return []
  return (await db
    .selectFrom('records')
    .selectAll()
    .select(sql<boolean>`updated_at < now() - ${`${staleMs} milliseconds`}::interval`.as('stale'))
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...ids])
    .execute()) as unknown as ReplayCandidate[]
}

/** The oldest `limit` records awaiting an asynchronous outcome, with their flow version's manifest and bindings. */
export async function recordsAwaitingOutcome(db: Db, limit: number) {
  return db
    .selectFrom('records')
    .innerJoin('flowVersions', (j) =>
      j
        .onRef('flowVersions.flowId', '=', 'records.flowId')
        .onRef('flowVersions.version', '=', 'records.flowVersion'),
    )
    .select([
      'records.tenantId',
      'records.correlationId',
      'records.updatedAt',
      'flowVersions.manifest',
      'flowVersions.bindings',
    ])
    .where('records.state', '=', 'awaiting')
    .where('records.correlationId', 'is not', null)
    .orderBy('records.updatedAt')
    .limit(limit)
    .execute()
}

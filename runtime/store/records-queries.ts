import { type SelectQueryBuilder, sql } from 'kysely'
import type { Database, Db } from './database.ts'
import type { RecordRow } from './records-store.ts'

/** Which records of a tenant to list or replay (all optional, combined with AND). */
export interface RecordFilter {
  flowId?: string
  state?: string
  /** updatedAt at or after. */
  from?: string
  /** updatedAt before. */
  to?: string
  key?: string
  /**
   * A document number: the target's number (e.g. BC's posted invoice number) or any top-level text
   * of the source record (a vendor invoice number, a supplier code), matched exactly.
   */
  document?: string
  /** Shadow records (read while the flow ran in shadow) or live ones; both when absent. */
  shadow?: boolean
}

/** Where the previous page ended: the last row's exact updated_at (as PostgreSQL prints it) and id. */
export interface RecordCursor {
  at: string
  id: string
}

/** A listed record (payloads left out: the detail has them). */
export type RecordSummary = Omit<RecordRow, 'source' | 'mapped' | 'progress' | 'tenantId'> & {
  cursorAt: string
}

function filtered<O>(
  query: SelectQueryBuilder<Database, 'records', O>,
  tenantId: string,
  filter: RecordFilter,
): SelectQueryBuilder<Database, 'records', O> {
  let q = query.where('records.tenantId', '=', tenantId)
  if (filter.flowId) q = q.where('records.flowId', '=', filter.flowId)
  if (filter.state) q = q.where('records.state', '=', filter.state)
  if (filter.from) q = q.where('records.updatedAt', '>=', new Date(filter.from))
  if (filter.to) q = q.where('records.updatedAt', '<', new Date(filter.to))
  if (filter.key) q = q.where('records.sourceKey', '=', filter.key)
  // The expression is the one indexed by records_source_texts (GIN), so it must stay spelled alike.
  if (filter.document)
    q = q.where(
      sql<boolean>`(jsonb_path_query_array(records.source, 'strict $.* ? (@.type() == "string")') @> jsonb_build_array(${filter.document}::text) or records.target_number = ${filter.document})`,
    )
  if (filter.shadow !== undefined) q = q.where('records.shadow', '=', filter.shadow)
  return q
}

/**
 * One page of a tenant's records, most recently changed first, keyset-paginated on (updated_at, id)
 * so pages stay stable and cheap however deep the client pages.
 */
export async function listRecords(
  db: Db,
  tenantId: string,
  filter: RecordFilter,
  page: { limit: number; after?: RecordCursor },
): Promise<RecordSummary[]> {
  let q = filtered(db.selectFrom('records'), tenantId, filter).select([
    'id',
    'flowId',
    'flowVersion',
    'runId',
    'sourceKey',
    'sourceVersion',
    'orderKey',
    'state',
    'targetId',
    'targetNumber',
    'correlationId',
    'writeAttempted',
    'shadow',
    'attempts',
    'error',
    'createdAt',
    'updatedAt',
    sql<string>`records.updated_at::text`.as('cursorAt'),
  ])
  if (page.after)
    q = q.where(
      sql<boolean>`(records.updated_at, records.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`,
    )
  return q
    .orderBy('records.updatedAt', 'desc')
    .orderBy('records.id', 'desc')
    .limit(page.limit)
    .execute() as Promise<RecordSummary[]>
}

/** Ids of a tenant's records matching a filter, at most `limit` of them. */
export async function recordIdsMatching(
  db: Db,
  tenantId: string,
  filter: RecordFilter,
  limit: number,
): Promise<string[]> {
  const rows = await filtered(db.selectFrom('records'), tenantId, filter)
    .select('records.id')
    .orderBy('records.updatedAt')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** Of `ids`, those the tenant owns. */
export async function ownedRecordIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('records')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...ids])
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** One record of a tenant, payloads included. */
export async function getTenantRecord(db: Db, tenantId: string, id: string): Promise<RecordRow | undefined> {
  return db
    .selectFrom('records')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst() as Promise<RecordRow | undefined>
}

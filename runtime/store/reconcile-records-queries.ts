/**
 * Ferry's view for reconciliation: a flow's records in source order, read page by page (reads only;
 * the records store owns every write). The `records_flow_seq` index of the reconciliations migration
 * keeps each page one index range.
 */
import type { Db } from './database.ts'

/** What reconciliation needs of a record. */
export interface ReconcileRecordRow {
  id: string
  seq: string
  sourceKey: string
  state: string
  source: Record<string, unknown>
  mapped: unknown
  targetId: string | null
  targetNumber: string | null
}

const columns = ['id', 'seq', 'sourceKey', 'state', 'source', 'mapped', 'targetId', 'targetNumber'] as const

/** The next `limit` records of a flow after `afterSeq` (all from the start when null), in source order. */
export async function flowRecordsAfter(
  db: Db,
  flowId: string,
  afterSeq: string | null,
  limit: number,
): Promise<ReconcileRecordRow[]> {
  let q = db.selectFrom('records').select(columns).where('flowId', '=', flowId)
  if (afterSeq !== null) q = q.where('seq', '>', afterSeq)
  return q.orderBy('seq').limit(limit).execute() as Promise<ReconcileRecordRow[]>
}

/** Records of a flow by id. */
export async function flowRecordsById(
  db: Db,
  flowId: string,
  ids: readonly string[],
): Promise<ReconcileRecordRow[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('records')
    .select(columns)
    .where('flowId', '=', flowId)
    .where('id', 'in', [...ids])
    .execute() as Promise<ReconcileRecordRow[]>
}

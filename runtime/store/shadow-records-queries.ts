import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { RecordRow } from './records-store.ts'

/**
 * The newest shadow record of every source key of a flow, in source order: what going live decides
 * about (older versions of a key are the sample period's history and stay shadow records).
 */
export async function newestShadowRecords(db: Db, flowId: string): Promise<RecordRow[]> {
  const rows = (await db
    .selectFrom((eb) =>
      eb
        .selectFrom('records')
        .selectAll()
        .distinctOn('sourceKey')
        .where('flowId', '=', flowId)
        .where('shadow', '=', true)
        .orderBy('sourceKey')
        .orderBy('seq', 'desc')
        .as('newest'),
    )
    .selectAll()
    .execute()) as RecordRow[]
  return rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))
}

/** How the newest reconciliation of a flow paired a record with documents in the target. */
export interface ReconciledPairing {
  class: string
  targetIds: string[]
  targetNumbers: string[]
  differences: unknown[]
}

/**
 * For each of `recordIds`, the newest finished reconciliation's item when it found the record's
 * document in the target (matched, differs or posted twice): what going live links to when the
 * flow's `match` does not find it (a clerk keyed it under another vendor or number).
 */
export async function reconciledPairings(
  db: Db,
  flowId: string,
  recordIds: readonly string[],
): Promise<Map<string, ReconciledPairing>> {
  if (recordIds.length === 0) return new Map()
  const { rows } = await sql<{
    recordId: string
    class: string
    targetIds: string[]
    targetNumbers: string[]
    differences: unknown[]
  }>`
    select distinct on (i.record_id) i.record_id, i.class, i.target_ids, i.target_numbers, i.differences
      from reconciliation_items i
      join reconciliation_flows f on f.reconciliation_id = i.reconciliation_id and f.flow_id = i.flow_id
     where i.flow_id = ${flowId} and i.record_id = any(${[...recordIds]}::uuid[])
     order by i.record_id, f.finished_at desc`.execute(db)
  const paired = new Map<string, ReconciledPairing>()
  for (const { recordId, ...item } of rows)
    if (['matched', 'differs', 'posted_twice'].includes(item.class) && item.targetIds.length > 0)
      paired.set(recordId, item)
  return paired
}

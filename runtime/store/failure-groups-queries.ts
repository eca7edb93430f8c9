import { type RawBuilder, sql } from 'kysely'
import type { Db } from './database.ts'

/** Failed records of a tenant that share one cause (kind, code and message pattern). */
export interface FailureGroupRow {
  /** md5 of kind, code and pattern: the group's stable id. */
  cause: string
  kind: string
  code: string
  /** The message with numbers and quoted values blanked (the exact one for `lookup_missing`). */
  pattern: string
  count: number
  firstAt: Date
  lastAt: Date
  /** The most recently failed record of the group. */
  example: { id: string; flowId: string; flowVersion: number; error: Record<string, unknown> }
  flowIds: string[]
}

/**
 * The message a group shares. Numbers, quoted values and GUIDs vary between records failing for one
 * reason ("Vendor 'V0012' …", "line 10000 …", BC's "CorrelationId:  0d5c2b1e-…" on every error), so
 * they are blanked; a GUID first, or its letters would keep each message apart. A missing lookup key
 * is kept: each key is a different mapping row to fix.
 */
const pattern = sql<string>`case when error->>'code' = 'lookup_missing'
  then coalesce(error->>'message', '')
  else regexp_replace(regexp_replace(regexp_replace(
    coalesce(error->>'remoteMessage', error->>'message', ''),
    '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '…', 'g'),
    '"[^"]*"|''[^'']*''|“[^”]*”', '…', 'g'), '[0-9]+', '#', 'g') end`

const kind = sql<string>`coalesce(error->>'kind', 'internal')`
const code = sql<string>`coalesce(error->>'code', '')`
/**
 * A failure's cause id. The records table keeps it in the column `failure_cause`, set by a trigger (migration
 * 2026120231), whose expression must stay this one: change both together.
 */
export const cause: RawBuilder<string> = sql<string>`md5(${kind} || chr(31) || ${code} || chr(31) || ${pattern})`

/**
 * A tenant's failed records grouped by cause, largest group first (at most `limit` groups). The cause
 * is the column `failure_cause` (the same md5 as {@link cause}, kept by a trigger), so
 * grouping 10,000 failures reads records_failed_cause instead of running the pattern's regular
 * expressions over every failed record; kind, code and pattern come from each group's example.
 */
export async function listFailureGroups(db: Db, tenantId: string, limit = 100): Promise<FailureGroupRow[]> {
  const { rows } = await sql<{
    cause: string
    n: string
    firstAt: Date
    lastAt: Date
    exampleId: string
    flowIds: string[]
  }>`
    select failure_cause as cause, count(*) as n, min(updated_at) as first_at, max(updated_at) as last_at,
           (array_agg(id order by updated_at desc, id desc))[1]::text as example_id,
           array_agg(distinct flow_id::text) as flow_ids
      from records where tenant_id = ${tenantId} and state = 'failed'
     group by failure_cause
     order by count(*) desc, max(updated_at) desc
     limit ${limit}`.execute(db)
  if (rows.length === 0) return []
  const examples = await db
    .selectFrom('records')
    .select(['id', 'flowId', 'flowVersion', 'error'])
    .select([kind.as('kind'), code.as('code'), pattern.as('pattern')])
    .where('tenantId', '=', tenantId)
    .where(
      'id',
      'in',
      rows.map((r) => r.exampleId),
    )
    .execute()
  const byId = new Map(examples.map((e) => [e.id, e]))
  return rows.map((r) => {
    const e = byId.get(r.exampleId)!
    return {
      cause: r.cause,
      kind: e.kind,
      code: e.code,
      pattern: e.pattern,
      count: Number(r.n),
      firstAt: r.firstAt,
      lastAt: r.lastAt,
      example: { id: e.id, flowId: e.flowId, flowVersion: e.flowVersion, error: e.error ?? {} },
      flowIds: r.flowIds,
    }
  })
}

/** Ids of a tenant's failed records with this cause, oldest failure first, at most `limit`. */
export async function failedRecordIdsByCause(
  db: Db,
  tenantId: string,
  causeId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('records')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('state', '=', 'failed')
    .where(sql<boolean>`failure_cause = ${causeId}`)
    .orderBy('updatedAt')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

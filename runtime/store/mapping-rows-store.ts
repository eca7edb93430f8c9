import { sql } from 'kysely'
import type { Db } from './database.ts'

/** Where tenant-confirmed mapping tables (recipes) are read from. */
export type MappingTableSource = (tenantId: string, table: string) => Promise<Map<string, unknown>>

/** One row of a tenant's mapping table. */
export interface MappingRow {
  key: string
  value: unknown
  status: 'proposed' | 'confirmed'
  reason?: string | null
}

/** Stores rows (a confirmed row is never downgraded back to a proposal). */
export async function saveMappingRows(
  db: Db,
  tenantId: string,
  table: string,
  rows: readonly MappingRow[],
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('mappingRows')
    .values(
      rows.map((r) => ({
        tenantId,
        tableName: table,
        key: r.key,
        value: JSON.stringify(r.value ?? null),
        status: r.status,
        reason: r.reason ?? null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'tableName', 'key'])
        .doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          reason: eb.ref('excluded.reason'),
          status: eb.ref('excluded.status'),
          updatedAt: new Date(),
        }))
        .where((eb) =>
          eb.or([eb('excluded.status', '=', 'confirmed'), eb('mappingRows.status', '=', 'proposed')]),
        ),
    )
    .execute()
}

/** Lists a table's rows. */
export async function listMappingRows(db: Db, tenantId: string, table: string) {
  return db
    .selectFrom('mappingRows')
    .select(['key', 'value', 'status', 'reason', 'updatedAt'])
    .where('tenantId', '=', tenantId)
    .where('tableName', '=', table)
    .orderBy('key')
    .execute()
}

// Every cache of this process, so a row confirmed through the API is used by the next delivery here
// (other processes see it once their cache expires).
const liveCaches = new Set<Map<string, unknown>>()

/** Drops this process's cached copies of a table, after a row of it changed. */
export function forgetMappingTable(tenantId: string, table: string): void {
  for (const cache of liveCaches) cache.delete(`${tenantId}|${table}`)
}

/**
 * The lookup source of recipe mapping tables: confirmed rows only (a proposal must be confirmed
 * before records use it), cached per table for `ttlMs` so a mapping's lookups cost no query each.
 */
export function mappingTableSource(db: Db, ttlMs = 5_000): MappingTableSource {
  const cache = new Map<string, { at: number; rows: Promise<Map<string, unknown>> }>()
  liveCaches.add(cache)
  return (tenantId, table) => {
    const key = `${tenantId}|${table}`
    const hit = cache.get(key)
    if (hit && Date.now() - hit.at < ttlMs) return hit.rows
    const rows = db
      .selectFrom('mappingRows')
      .select(['key', 'value'])
      .where('tenantId', '=', tenantId)
      .where('tableName', '=', table)
      .where('status', '=', 'confirmed')
      .execute()
      .then((r) => new Map(r.map((x) => [x.key, x.value as unknown])))
    cache.set(key, { at: Date.now(), rows })
    return rows
  }
}

/** Why a row was proposed: the strategy that matched, or why nothing was. */
export type MappingMatch = 'mst' | 'number' | 'name' | 'code' | 'ambiguous' | 'none'

/** A proposal for one key; `value` null when the tenant must choose (no match, or several). */
export interface ProposedMappingRow {
  key: string
  label: string
  value: string | null
  match: MappingMatch
  detail: string
}

/** Where a row stands: confirmed, proposed with a value, or waiting for the tenant to choose one. */
export type MappingRowState = 'confirmed' | 'proposed' | 'unmatched' | 'ambiguous'

/** A row as the API shows it: the proposal and what the tenant confirmed, side by side. */
export interface MappingRowView {
  key: string
  label: string | null
  state: MappingRowState
  proposedValue: unknown
  match: MappingMatch | null
  reason: string | null
  confirmedValue: unknown
  updatedAt: Date
}

// The proposal travels in `reason` as JSON, so an override keeps what Ferry had proposed.
interface StoredReason {
  match: MappingMatch
  label: string
  proposed: string | null
  detail: string
}

function readReason(reason: string | null): StoredReason | undefined {
  if (!reason?.startsWith('{')) return undefined
  try {
    return JSON.parse(reason) as StoredReason
  } catch {
    return undefined
  }
}

/**
 * Stores a fresh proposal: each row's proposal is replaced, but a row the tenant confirmed keeps its
 * confirmed value (re-enabling a recipe never undoes the tenant's decisions).
 */
export async function saveProposedRows(
  db: Db,
  tenantId: string,
  table: string,
  rows: readonly ProposedMappingRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000)
    await db
      .insertInto('mappingRows')
      .values(
        chunk.map((r) => ({
          tenantId,
          tableName: table,
          key: r.key,
          value: JSON.stringify(r.value),
          status: 'proposed' as const,
          reason: JSON.stringify({ match: r.match, label: r.label, proposed: r.value, detail: r.detail }),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tenantId', 'tableName', 'key']).doUpdateSet((eb) => ({
          reason: eb.ref('excluded.reason'),
          value: eb
            .case()
            .when('mappingRows.status', '=', 'confirmed')
            .then(eb.ref('mappingRows.value'))
            .else(eb.ref('excluded.value'))
            .end(),
          updatedAt: new Date(),
        })),
      )
      .execute()
  }
  forgetMappingTable(tenantId, table)
}

function rowState(
  r: { status: string; value: unknown },
  proposal: StoredReason | undefined,
): MappingRowState {
  if (r.status === 'confirmed') return 'confirmed'
  if (r.value !== null) return 'proposed'
  return proposal?.match === 'ambiguous' ? 'ambiguous' : 'unmatched'
}

/** Where one row of a table stands, or undefined when the table has no row for `key`. */
export async function mappingRowState(
  db: Db,
  tenantId: string,
  table: string,
  key: string,
): Promise<MappingRowState | undefined> {
  const r = await db
    .selectFrom('mappingRows')
    .select(['status', 'value', 'reason'])
    .where('tenantId', '=', tenantId)
    .where('tableName', '=', table)
    .where('key', '=', key)
    .executeTakeFirst()
  return r && rowState(r, readReason(r.reason))
}

/**
 * Confirms the row of a master Ferry created in the target (`detail` says so on the Masters page),
 * keeping the label it was proposed with. A row the tenant confirmed meanwhile is left as it is.
 */
export async function confirmCreatedRow(
  db: Db,
  tenantId: string,
  table: string,
  row: { key: string; value: unknown; label?: string; detail: string },
): Promise<void> {
  const before = await db
    .selectFrom('mappingRows')
    .select('reason')
    .where('tenantId', '=', tenantId)
    .where('tableName', '=', table)
    .where('key', '=', row.key)
    .executeTakeFirst()
  const stored: StoredReason = {
    match: 'none',
    label: readReason(before?.reason ?? null)?.label || row.label || row.key,
    proposed: null,
    detail: row.detail,
  }
  await db
    .insertInto('mappingRows')
    .values({
      tenantId,
      tableName: table,
      key: row.key,
      value: JSON.stringify(row.value),
      status: 'confirmed',
      reason: JSON.stringify(stored),
    })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'tableName', 'key'])
        .doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          status: eb.ref('excluded.status'),
          reason: eb.ref('excluded.reason'),
          updatedAt: new Date(),
        }))
        .where('mappingRows.status', '<>', 'confirmed'),
    )
    .execute()
  forgetMappingTable(tenantId, table)
}

/** A table's rows as the tenant reviews them, by key. */
export async function listMappingRowViews(
  db: Db,
  tenantId: string,
  table: string,
): Promise<MappingRowView[]> {
  const rows = await listMappingRows(db, tenantId, table)
  return rows.map((r) => {
    const proposal = readReason(r.reason)
    const confirmed = r.status === 'confirmed'
    const state = rowState(r, proposal)
    return {
      key: r.key,
      label: proposal?.label || null,
      state,
      proposedValue: proposal ? proposal.proposed : confirmed ? null : r.value,
      match: proposal?.match ?? null,
      reason: proposal ? proposal.detail : r.reason,
      confirmedValue: confirmed ? r.value : null,
      updatedAt: r.updatedAt,
    }
  })
}

/** Confirms one row with the tenant's value (the proposal's, or an override); creates it if new. */
export async function confirmMappingRow(
  db: Db,
  tenantId: string,
  table: string,
  key: string,
  value: unknown,
): Promise<void> {
  await db
    .insertInto('mappingRows')
    .values({ tenantId, tableName: table, key, value: JSON.stringify(value), status: 'confirmed' })
    .onConflict((oc) =>
      oc.columns(['tenantId', 'tableName', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        status: eb.ref('excluded.status'),
        updatedAt: new Date(),
      })),
    )
    .execute()
  forgetMappingTable(tenantId, table)
}

/** Confirms every proposal that has a value; rows waiting for a choice stay as they are. */
export async function confirmProposedRows(db: Db, tenantId: string, table: string): Promise<number> {
  const result = await db
    .updateTable('mappingRows')
    .set({ status: 'confirmed', updatedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('tableName', '=', table)
    .where('status', '=', 'proposed')
    .where('value', 'is not', null)
    .where(sql<boolean>`value <> 'null'::jsonb`)
    .executeTakeFirst()
  forgetMappingTable(tenantId, table)
  return Number(result.numUpdatedRows)
}

/** Rows per state of each of the tenant's tables. */
export async function countMappingRows(
  db: Db,
  tenantId: string,
): Promise<Map<string, Record<'confirmed' | 'proposed' | 'open', number>>> {
  const rows = await db
    .selectFrom('mappingRows')
    .select(['tableName', 'status', sql<boolean>`value is null or value = 'null'::jsonb`.as('empty')])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenantId', '=', tenantId)
    .groupBy(['tableName', 'status', 'empty'])
    .execute()
  const counts = new Map<string, Record<'confirmed' | 'proposed' | 'open', number>>()
  for (const r of rows) {
    const c = counts.get(r.tableName) ?? { confirmed: 0, proposed: 0, open: 0 }
    const bucket = r.status === 'confirmed' ? 'confirmed' : r.empty ? 'open' : 'proposed'
    c[bucket] += Number(r.n)
    counts.set(r.tableName, c)
  }
  return counts
}

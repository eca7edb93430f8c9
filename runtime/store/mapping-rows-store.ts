import type { MappingTableSource } from '../engine/lookup-tables.ts'
import type { Db } from './database.ts'

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

/**
 * The lookup source of recipe mapping tables: confirmed rows only (a proposal must be confirmed
 * before records use it), cached per table for `ttlMs` so a mapping's lookups cost no query each.
 */
export function mappingTableSource(db: Db, ttlMs = 5_000): MappingTableSource {
  const cache = new Map<string, { at: number; rows: Promise<Map<string, unknown>> }>()
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

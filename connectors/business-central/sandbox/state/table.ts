/**
 * An in-memory entity table with hash indexes on chosen fields, so lookups by id and by indexed
 * equality (vendorNumber + vendorInvoiceNumber, documentId…) never scan the whole table.
 */

/** One stored entity: its wire fields plus what the emulator keeps beside them. */
export interface Entity {
  id: string
  /** Insertion order: BC's default order is the primary key, which grows with insertion here. */
  seq: number
  /** Bumped on every change; the ETag is derived from it. */
  version: number
  /** Wire fields (enums in encoded form), without `@odata.etag`. */
  data: Record<string, unknown>
  /** Emulator-only state (dimension sets, remaining amounts…). */
  extra: Record<string, any>
}

let nextSeq = 1

/** A table of one entity set in one company. */
export class Table {
  readonly rows = new Map<string, Entity>()
  private readonly indexes = new Map<string, Map<string, Set<string>>>()

  constructor(indexed: readonly string[] = []) {
    for (const field of indexed) this.indexes.set(field, new Map())
  }

  /** True when `field` has an index. */
  isIndexed(field: string): boolean {
    return this.indexes.has(field)
  }

  get(id: string): Entity | undefined {
    return this.rows.get(id.toLowerCase())
  }

  insert(id: string, data: Record<string, unknown>, extra: Record<string, any> = {}): Entity {
    const entity: Entity = { id: id.toLowerCase(), seq: nextSeq++, version: 1, data, extra }
    data.id = entity.id
    this.rows.set(entity.id, entity)
    this.index(entity, 1)
    return entity
  }

  /** Applies `changes` to the entity, keeping the indexes current. */
  update(entity: Entity, changes: Record<string, unknown>): void {
    this.index(entity, -1)
    Object.assign(entity.data, changes)
    this.index(entity, 1)
  }

  remove(entity: Entity): void {
    this.index(entity, -1)
    this.rows.delete(entity.id)
  }

  /** Ids whose `field` equals `value` exactly (only for indexed fields). */
  lookup(field: string, value: unknown): Set<string> {
    return this.indexes.get(field)?.get(String(value).toLowerCase()) ?? new Set()
  }

  /** Every entity, in insertion order. */
  all(): Entity[] {
    return [...this.rows.values()]
  }

  private index(entity: Entity, sign: 1 | -1): void {
    for (const [field, index] of this.indexes) {
      const value = entity.data[field]
      if (value === undefined || value === null) continue
      const key = String(value).toLowerCase()
      const ids = index.get(key) ?? new Set<string>()
      if (sign === 1) {
        index.set(key, ids)
        ids.add(entity.id)
      } else {
        ids.delete(entity.id)
        if (ids.size === 0) index.delete(key)
      }
    }
  }
}

/** A deep copy of a table's rows, for `$batch` with `Isolation: snapshot`. */
export function snapshotTable(table: Table): Entity[] {
  return structuredClone(table.all())
}

/** Puts a table back to a snapshot (indexes rebuilt). */
export function restoreTable(table: Table, rows: Entity[]): void {
  for (const entity of table.all()) table.remove(entity)
  for (const entity of rows) {
    const restored = table.insert(entity.id, entity.data, entity.extra)
    restored.seq = entity.seq
    restored.version = entity.version
  }
}

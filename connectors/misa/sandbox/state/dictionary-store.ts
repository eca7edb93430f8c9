/** One tenant's master data per read `data_type`, kept in modification order and indexed by id and code. */
import { byReadType } from '../../dictionary-types.ts'

/** A stored master-data record and its modification instant. */
export interface StoredRecord {
  data: Record<string, unknown>
  modifiedMs: number
}

/** A deleted record as `get_dictionary_delete` reports it. */
export interface Tombstone {
  sync_deleted_di_id: string
  id: string
  type: number
  delete_date: string
  deletedMs: number
  data: string
  branch_id: string | null
}

/** The master data of one tenant. */
export class DictionaryStore {
  private readonly lists = new Map<number, StoredRecord[]>()
  private readonly byId = new Map<string, StoredRecord>()
  private readonly byCode = new Map<string, StoredRecord>()
  readonly tombstones: Tombstone[] = []

  private key(readType: number, value: unknown): string {
    return `${readType}:${String(value).toLowerCase()}`
  }

  /** Records of a type in modification order (oldest first). */
  list(readType: number): readonly StoredRecord[] {
    return this.lists.get(readType) ?? []
  }

  /** Looks a record up by its id field. */
  getById(readType: number, id: unknown): Record<string, unknown> | undefined {
    return id === undefined || id === null ? undefined : this.byId.get(this.key(readType, id))?.data
  }

  /** Looks a record up by its code field (codes are case-insensitive, as in AMIS). */
  getByCode(readType: number, code: unknown): Record<string, unknown> | undefined {
    return code === undefined || code === null ? undefined : this.byCode.get(this.key(readType, code))?.data
  }

  /** Inserts or replaces a record (matched by id), moving it to the end of the modification order. */
  put(readType: number, data: Record<string, unknown>, modifiedMs: number): void {
    const type = byReadType(readType)
    if (!type) throw new Error(`unknown data_type ${readType}`)
    const list = this.lists.get(readType) ?? []
    this.lists.set(readType, list)
    const old = this.byId.get(this.key(readType, data[type.idField]))
    if (old) {
      list.splice(list.indexOf(old), 1)
      this.byCode.delete(this.key(readType, old.data[type.codeField]))
    }
    const stored = { data, modifiedMs }
    list.push(stored)
    this.byId.set(this.key(readType, data[type.idField]), stored)
    this.byCode.set(this.key(readType, data[type.codeField]), stored)
  }

  /** Removes a record and leaves a tombstone. Returns false when it did not exist. */
  remove(readType: number, id: string, deletedMs: number, deleteDate: string): boolean {
    const type = byReadType(readType)!
    const stored = this.byId.get(this.key(readType, id))
    if (!stored) return false
    const list = this.lists.get(readType)!
    list.splice(list.indexOf(stored), 1)
    this.byId.delete(this.key(readType, id))
    this.byCode.delete(this.key(readType, stored.data[type.codeField]))
    const branchId = (stored.data.branch_id as string | undefined) ?? null
    this.tombstones.push({
      sync_deleted_di_id: crypto.randomUUID(),
      id,
      type: type.writeType ?? readType,
      delete_date: deleteDate,
      deletedMs,
      data: JSON.stringify({
        code: stored.data[type.codeField],
        name: stored.data[type.nameField],
        branch_id: branchId,
      }),
      branch_id: branchId,
    })
    return true
  }
}

/**
 * The API-layer copy of imported master data (what Basware compares re-posts against), plus the
 * codes P2P itself knows, which decide the asynchronous data-validation outcome.
 */
import { isDeepStrictEqual } from 'node:util'

/** A stored master-data record. */
export type MasterRecord = Record<string, unknown> & { externalCode: string; lastUpdated: string }

/** An asynchronous bulk delete: in progress until `doneAt` (sandbox clock, ms). */
export interface DeleteTask {
  taskId: string
  taskName: string
  collection: string
  recordCount: number
  doneAt: number
}

/** Imported records per collection (`vendors`, `lists/ACC_LIST_1`, …) keyed by externalCode. */
export class MasterDataStore {
  private readonly collections = new Map<string, Map<string, MasterRecord>>()
  /** Last post of each `collection/externalCode`: which request and when (for RecordExpired). */
  readonly lastPost = new Map<string, { requestId: string; at: number }>()
  /** Item-level errors injected through the control API, by externalCode. */
  readonly injectedErrors = new Map<string, string>()
  /** Codes P2P already has without an import (seeded P2P configuration). */
  readonly knownPaymentTerms = new Set<string>()
  readonly knownTaxCodes = new Set<string>()
  /** Bulk deletes by task id (`DELETE /v1/<entity>` with `lastUpdated`). */
  readonly deleteTasks = new Map<string, DeleteTask>()

  collection(name: string): Map<string, MasterRecord> {
    let found = this.collections.get(name)
    if (!found) {
      found = new Map()
      this.collections.set(name, found)
    }
    return found
  }

  /** Stores a posted record (full overwrite); false when it equals the stored one. */
  put(name: string, record: Record<string, unknown> & { externalCode: string }, at: string): boolean {
    const collection = this.collection(name)
    const { lastUpdated: _ignored, ...incoming } = record
    const previous = collection.get(record.externalCode)
    if (previous) {
      const { lastUpdated: _stamp, ...stored } = previous
      if (isDeepStrictEqual(stored, incoming)) return false
    }
    collection.set(record.externalCode, { ...incoming, externalCode: record.externalCode, lastUpdated: at })
    return true
  }

  /** Removes one record; false when there was none. */
  remove(name: string, externalCode: string): boolean {
    this.lastPost.delete(`${name}/${externalCode}`)
    return this.collection(name).delete(externalCode)
  }

  /** Removes the records last updated after `since`; returns how many. */
  removeUpdatedAfter(name: string, since: number): number {
    let count = 0
    for (const record of this.snapshot(name)) {
      if (Date.parse(record.lastUpdated) > since && this.remove(name, record.externalCode)) count++
    }
    return count
  }

  /** Every collection's records, for the control API. */
  snapshot(name: string): MasterRecord[] {
    return [...this.collection(name).values()]
  }

  clear(): void {
    this.collections.clear()
    this.lastPost.clear()
    this.injectedErrors.clear()
    this.deleteTasks.clear()
  }
}

import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { recordId } from '../../core/record/record-id.ts'
import { getCursor, putCursor } from '../store/cursors-store.ts'
import type { Database } from '../store/database.ts'
import { flowModeForPage } from '../store/flows-store.ts'
import {
  countStoredRecords,
  insertRecords,
  keysPossiblyWritten,
  type NewRecord,
} from '../store/records-store.ts'
import { countRunPage } from '../store/runs-store.ts'
import type { DeliveryTicket } from './dispatcher.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { takesBatches } from './takes-batches.ts'

/** What one read of a source did. */
export interface ReadSummary {
  pages: number
  read: number
  inserted: number
}

/**
 * A run whose row is written only once it stores a record (a scheduled poll: most find nothing, and
 * thousands of flows poll). `create` writes the row in the transaction of the first page with a new
 * record, with what was read before it; `stored` is true from that page's commit on.
 */
export interface DeferredRun {
  create(trx: Kysely<Database>, readBefore: ReadSummary): Promise<void>
  stored: boolean
}

/** Options for {@link readSource}. */
export interface ReadOptions {
  runId: string
  /** When the run's row does not exist yet; see {@link DeferredRun}. */
  deferredRun?: DeferredRun
  /** Checkpoint scope: `live` for scheduled/webhook reads, `backfill:<run>` for a backfill window. */
  scope: string
  window?: { from?: string; to?: string }
  /** Read just these records (a webhook named them); the checkpoint is left alone. */
  ids?: string[]
  /** Records a webhook delivery carried (a pushed stream): taken as one page, no remote read, checkpoint left alone. */
  records?: Record<string, unknown>[]
  signal?: AbortSignal
  onPage?: (summary: ReadSummary) => void
}

/** A record's version when its flow names none: a hash of its content. */
export function contentVersion(record: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(record)).digest('hex')
}

/** Whether every record of a page is stored already (its id names its flow, key and version). */
async function storedAlready(deps: EngineDeps, records: NewRecord[]): Promise<boolean> {
  return (
    (await countStoredRecords(
      deps.db,
      records.map((r) => r.id),
    )) === records.length
  )
}

/**
 * Reads a flow's source page by page. Each page's new records, its checkpoint and its delivery jobs
 * commit in one transaction, so a crash between pages re-reads at most one page and duplicates nothing.
 */
export async function readSource(
  deps: EngineDeps,
  program: FlowProgram,
  options: ReadOptions,
): Promise<ReadSummary> {
  const live = await deps.contexts.get(program.source.connectionId)
  const read = program.source.stream.read
  const pushed = options.records
  if (!read && !pushed) throw new Error(`${program.source.streamName} is not readable`)
  const keepCheckpoint = options.ids !== undefined || pushed !== undefined
  const cursor = keepCheckpoint ? null : await getCursor(deps.db, program.flowId, options.scope)
  let storedCursor = cursor
  const summary: ReadSummary = { pages: 0, read: 0, inserted: 0 }
  const batches = takesBatches(program)
  const pages = pushed
    ? [{ records: pushed, cursor: null }]
    : read!(live.ctx, {
        cursor,
        query: (program.manifest.source.query ?? {}) as Record<string, unknown>,
        window: options.window,
        ids: options.ids,
        pageSize: program.manifest.source.pageSize,
      })
  for await (const page of pages) {
    const seen = new Set<string>()
    const records: NewRecord[] = []
    // The page's identity and order expressions go to the mapping pool in one hop.
    const fields = await program.readFields(page.records)
    for (const [i, source] of page.records.entries()) {
      const { key, version, order } = fields[i]!
      if (key === undefined || key === null || key === '') {
        throw new Error(
          `a ${program.source.streamName} record has no identity key (${program.manifest.identity?.key ?? 'stream default'})`,
        )
      }
      const sourceVersion =
        version === undefined || version === null ? contentVersion(source) : String(version)
      const id = recordId(program.flowId, String(key), sourceVersion)
      if (seen.has(id)) continue
      seen.add(id)
      records.push({
        id,
        tenantId: program.tenantId,
        flowId: program.flowId,
        flowVersion: program.version,
        runId: options.runId,
        sourceKey: String(key),
        sourceVersion,
        orderKey: order === undefined || order === null ? null : String(order),
        source,
      })
    }
    let tickets: DeliveryTicket[] = []
    const deferred = options.deferredRun && !options.deferredRun.stored ? options.deferredRun : undefined
    // A page with nothing new while the run has no row yet — an idle poll's empty answer, or an
    // incremental read re-reading the newest record it stored last time — needs no page transaction:
    // only a checkpoint that moved is written, on its own.
    if (deferred && (records.length === 0 || (await storedAlready(deps, records)))) {
      if (!keepCheckpoint && page.cursor !== storedCursor) {
        await putCursor(deps.db, program.flowId, options.scope, page.cursor)
        storedCursor = page.cursor
      }
      summary.pages++
      summary.read += page.records.length
      options.onPage?.({ ...summary })
      if (options.signal?.aborted) break
      continue
    }
    const readBefore = { ...summary }
    await deps.db.transaction().execute(async (trx) => {
      // Records read while the flow runs in shadow are shadow records, delivered one by one.
      const shadow = (await flowModeForPage(trx, program.flowId)) === 'shadow'
      if (shadow) for (const r of records) r.shadow = true
      // Only a create looks in the target because an earlier version may have been written (find-step);
      // other flows would pay a query per page for a flag nothing reads.
      if (program.manifest.target.operation === 'create') {
        const known = await keysPossiblyWritten(trx, program.flowId, [
          ...new Set(records.map((r) => r.sourceKey)),
        ])
        for (const r of records) if (known.has(r.sourceKey)) r.writeAttempted = true
      }
      // Inserted in page order, so each record's seq is its place in source order: the ordinal its job sorts by.
      const seqs = new Map((await insertRecords(trx, records)).map((r) => [r.id, r.seq]))
      tickets = records
        .filter((r) => seqs.has(r.id))
        .map((r) => ({
          recordId: r.id,
          orderKey: r.orderKey,
          ordinal: seqs.get(r.id)!,
          batch: batches && !shadow,
        }))
      if (!keepCheckpoint) await putCursor(trx, program.flowId, options.scope, page.cursor)
      // Until a record is new, a deferred run keeps counting in memory (its row may never be needed).
      if (deferred && tickets.length > 0) await deferred.create(trx, readBefore)
      if (!deferred || tickets.length > 0)
        await countRunPage(trx, options.runId, page.records.length, tickets.length)
      await deps.dispatcher.enqueue(trx, program.flowId, tickets)
    })
    if (deferred && tickets.length > 0) deferred.stored = true
    if (!keepCheckpoint) storedCursor = page.cursor
    summary.pages++
    summary.read += page.records.length
    summary.inserted += tickets.length
    options.onPage?.({ ...summary })
    await deps.dispatcher.afterCommit?.(tickets)
    if (options.signal?.aborted) break
  }
  return summary
}

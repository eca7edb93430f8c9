/**
 * Reconciles one flow over one period: reads the three views and lets core/reconcile decide.
 *
 * - Ferry's view: the flow's records, the newest version of each source key that was not skipped (a
 *   document re-read after its transfer is a new version the flow skips), with the source as read and
 *   the record Ferry mapped, seen through the target stream's `document`.
 * - The source's view: the source stream's `list` of the period when it has one, refreshing what Ferry
 *   read and adding what Ferry never read (when the flow's `when` takes it).
 * - The target's view: the target stream's `list` of the period, or — when the target cannot be read —
 *   the target's answers Ferry recorded.
 *
 * A document whose counterpart lies outside the period (a clerk's wrong posting date) would look
 * missing on one side and unexplained on the other, so both sides are widened once: an expected
 * document not found in the target is looked up by the flow's `match`, and a target document nothing
 * explains is matched against the flow's records of other periods.
 */
import type { StreamReconcile } from '../../core/connector/stream-reconcile.ts'
import { strongKeys } from '../../core/reconcile/document-keys.ts'
import { periodDateOf, type ReconcileDocument } from '../../core/reconcile/reconcile-document.ts'
import { type ExpectedDocument, reconcileDocuments } from '../../core/reconcile/reconcile-documents.ts'
import type { ReconcileItem } from '../../core/reconcile/reconcile-item.ts'
import { isoRounding } from '../../core/reconcile/rounding-rule.ts'
import { type FlowProgram, readMany } from '../engine/flow-program.ts'
import {
  flowRecordsAfter,
  flowRecordsById,
  type ReconcileRecordRow,
} from '../store/reconcile-records-queries.ts'
import type { ReconcileDeps } from './reconcile-deps.ts'

/** A period of documents: `yyyy-mm-dd`, `to` exclusive. */
export interface Period {
  from: string
  to: string
}

/** One flow's reconciliation. */
export interface FlowReconciliation {
  items: ReconcileItem[]
  /** `read`: the target was read back; `ferry`: it cannot be, so the target's recorded answers stand in. */
  targetView: 'read' | 'ferry'
}

const PAGE = 1000
/** At most this many lookups by `match` for documents the period's read did not find. */
const MAX_FINDS = 500

/** True when the flow's target describes its records as documents (the flow can be reconciled). */
export function isReconcilable(program: FlowProgram): boolean {
  return Boolean(program.target.stream.reconcile)
}

interface Entry {
  doc: ExpectedDocument
  /** The values of the flow's `match` for this document, to look it up in the target. */
  match?: Record<string, unknown>
}

const inPeriod = (doc: ReconcileDocument | undefined, period: Period) => {
  const date = doc ? periodDateOf(doc) : undefined
  return date !== undefined && date >= period.from && date < period.to
}

/** Reconciles `program`'s flow over `period`. Reads only: nothing is written anywhere. */
export async function reconcileFlow(
  deps: ReconcileDeps,
  program: FlowProgram,
  period: Period,
): Promise<FlowReconciliation> {
  const target = program.target.stream.reconcile
  if (!target) throw new Error(`flow ${program.name}: its target stream cannot be reconciled`)
  const source = program.source.stream.reconcile
  // A flow that runs actions after the write (BC post) leaves the document in its final, posted state.
  const expectedStatus = program.target.actions.length > 0 ? ('posted' as const) : undefined

  const entryOf = async (row: ReconcileRecordRow): Promise<Entry> => {
    const mapped =
      row.mapped && typeof row.mapped === 'object' ? (row.mapped as Record<string, unknown>) : undefined
    const expected = mapped ? { ...target.document(mapped), status: expectedStatus } : undefined
    let match: Record<string, unknown> | undefined
    if (mapped && program.match) {
      match = {}
      for (const [field, read] of program.match) match[field] = await read(mapped)
    }
    return {
      doc: {
        sourceKey: row.sourceKey,
        source: source?.document(row.source),
        expected,
        ferry: { recordId: row.id, state: row.state, targetId: row.targetId, targetNumber: row.targetNumber },
      },
      match,
    }
  }

  // Ferry's view: newest non-skipped version per key; outside the period only what finds it again.
  const entries = new Map<string, Entry>()
  const elsewhere = new Map<string, { recordId: string; keys: string[] }>()
  let afterSeq: string | null = null
  for (;;) {
    const rows = await flowRecordsAfter(deps.db, program.flowId, afterSeq, PAGE)
    for (const row of rows) {
      if (row.state === 'skipped') continue
      const entry = await entryOf(row)
      const view = entry.doc.expected ?? entry.doc.source
      if (inPeriod(view, period)) {
        entries.set(row.sourceKey, entry)
        elsewhere.delete(row.sourceKey)
      } else {
        entries.delete(row.sourceKey)
        const keys = view ? strongKeys(view) : []
        if (row.targetId) keys.push(`id:${row.targetId}`)
        elsewhere.set(row.sourceKey, { recordId: row.id, keys })
      }
    }
    if (rows.length < PAGE) break
    afterSeq = rows.at(-1)!.seq
  }

  if (source?.list) await addSourceView(deps, program, source, period, entries)

  let targetDocs: ReconcileDocument[] | undefined
  if (target.list) {
    const { ctx } = await deps.contexts.get(program.target.connectionId)
    targetDocs = []
    for await (const page of target.list(ctx, period)) targetDocs.push(...page.map((r) => target.document(r)))
  }
  const rule = target.rounding ?? isoRounding
  const run = () =>
    reconcileDocuments({ documents: [...entries.values()].map((e) => e.doc), target: targetDocs, rule })
  let items = run()
  if (!targetDocs) return { items, targetView: 'ferry' }

  const widened =
    (await findOutsideThePeriod(deps, program, items, entries, targetDocs)) +
    (await recordsOfOtherPeriods(deps, program, items, targetDocs, elsewhere, entries, entryOf))
  if (widened > 0) items = run()
  return { items, targetView: 'read' }
}

/** Refreshes the source's view of what Ferry read, and adds approved documents Ferry never read. */
async function addSourceView(
  deps: ReconcileDeps,
  program: FlowProgram,
  source: StreamReconcile,
  period: Period,
  entries: Map<string, Entry>,
): Promise<void> {
  const { ctx } = await deps.contexts.get(program.source.connectionId)
  const lookup = deps.lookups.resolver(program)
  for await (const page of source.list!(ctx, period)) {
    // The page's keys in one hop to the mapping pool.
    const keys = await readMany(program.identityKey, page)
    for (const [i, record] of page.entries()) {
      const key = String(keys[i])
      const known = entries.get(key)
      if (known) {
        known.doc.source = source.document(record)
        continue
      }
      let wanted = true
      if (program.when) {
        try {
          wanted = Boolean(await program.when.evaluate(record, { recordKey: key, lookup }))
        } catch {
          // A filter that cannot be evaluated (a missing lookup row) must not hide an approved document.
        }
      }
      if (wanted) entries.set(key, { doc: { sourceKey: key, source: source.document(record) } })
    }
  }
}

/** Looks up, by the flow's `match`, expected documents the period's read did not find. */
async function findOutsideThePeriod(
  deps: ReconcileDeps,
  program: FlowProgram,
  items: readonly ReconcileItem[],
  entries: Map<string, Entry>,
  targetDocs: ReconcileDocument[],
): Promise<number> {
  const find = program.target.stream.find
  const target = program.target.stream.reconcile!
  if (!find) return 0
  const missing = items
    .filter((i) => i.class === 'not_in_target' && i.sourceKey)
    .map((i) => entries.get(i.sourceKey!))
    .filter((e): e is Entry => Boolean(e?.match))
    .slice(0, MAX_FINDS)
  if (missing.length === 0) return 0
  const { ctx } = await deps.contexts.get(program.target.connectionId)
  const known = new Set(targetDocs.flatMap((d) => (d.id ? [d.id] : [])))
  let added = 0
  for (const entry of missing) {
    const found = await find(ctx, entry.match!)
    if (!found || known.has(found.id)) continue
    known.add(found.id)
    targetDocs.push({ ...target.document(found.record), id: found.id, number: found.number })
    added++
  }
  return added
}

/** Brings in records of other periods that a target document nothing explains belongs to. */
async function recordsOfOtherPeriods(
  deps: ReconcileDeps,
  program: FlowProgram,
  items: readonly ReconcileItem[],
  targetDocs: readonly ReconcileDocument[],
  elsewhere: Map<string, { recordId: string; keys: string[] }>,
  entries: Map<string, Entry>,
  entryOf: (row: ReconcileRecordRow) => Promise<Entry>,
): Promise<number> {
  const byId = new Map(targetDocs.flatMap((d) => (d.id ? [[d.id, d] as const] : [])))
  const unexplained = new Set<string>()
  for (const item of items) {
    if (item.class !== 'not_from_ferry') continue
    for (const id of item.targetIds) {
      unexplained.add(`id:${id}`)
      for (const key of strongKeys(byId.get(id) ?? {})) unexplained.add(key)
    }
    for (const key of strongKeys(item)) unexplained.add(key)
  }
  if (unexplained.size === 0) return 0
  const ids = [...elsewhere.values()]
    .filter((e) => e.keys.some((k) => unexplained.has(k)))
    .map((e) => e.recordId)
  const rows = await flowRecordsById(deps.db, program.flowId, ids)
  for (const row of rows) entries.set(row.sourceKey, await entryOf(row))
  return rows.length
}

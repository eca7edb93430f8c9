/** A batch of the mapping pool as it is shared among children and settled item by item. */
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import { MappingError, type MappingPosition } from '../../core/mapping/mapping-error.ts'
import type { BatchExpression, BatchItem, ItemResult, TaskName } from './pool-protocol.ts'

/** How one evaluation of a batch ended; `skipped`: the item's `when` was falsy (`value` is null). */
export type PoolOutcome = { ok: true; value: unknown; skipped?: true } | { ok: false; error: MappingError }

/** A batch in the pool: what was asked, and the outcomes so far. */
export interface Batch {
  /** A task instead of expressions: one item, `taskMs` of wall-clock time. */
  task?: { name: TaskName; input: unknown; taskMs: number }
  expressions: BatchExpression[]
  items: BatchItem[]
  lookup?: LookupResolver
  /** Tables whose rows go with the batch (learned from earlier batches of the same expressions). */
  tables?: Set<string>
  outcomes: (PoolOutcome | undefined)[]
  left: number
  done(outcomes: PoolOutcome[]): void
}

/** A hop: the batch items (indexes into the batch) sent to one child together. */
export interface Job {
  batch: Batch
  items: number[]
  finished: Set<number>
  /** Tables whose rows this hop's child has been sent. */
  sentRows: Set<string>
  /** This hop is a second attempt: its items were already on a child that died under them. */
  rerun?: true
}

/** Fewest items of a batch worth a child of their own. */
const MIN_SHARE = 50

/** A hop for `items` of `batch`. */
export function jobOf(batch: Batch, items: number[], rerun?: true): Job {
  return { batch, items, finished: new Set(), sentRows: new Set(), rerun }
}

/** The hops of a batch: a large batch is shared among the children, so that a pool of two maps a chunk on two cores. */
export function splitBatch(batch: Batch, children: number): Job[] {
  const parts = Math.min(children, Math.ceil(batch.items.length / MIN_SHARE))
  const share = Math.ceil(batch.items.length / parts)
  const all = [...batch.items.keys()]
  const jobs: Job[] = []
  for (let start = 0; start < all.length; start += share)
    jobs.push(jobOf(batch, all.slice(start, start + share)))
  return jobs
}

/** Records item `index`'s outcome (the first one counts); the batch is done when every item has one. */
export function settle(batch: Batch, index: number, outcome: PoolOutcome): void {
  if (batch.outcomes[index] !== undefined) return
  batch.outcomes[index] = outcome
  if (--batch.left === 0) batch.done(batch.outcomes as PoolOutcome[])
}

/** Fails every item of the hop that has not finished with `error`, naming each item's record. */
export function failRest(job: Pick<Job, 'batch' | 'items' | 'finished'>, error: MappingError): void {
  for (const index of job.items)
    if (!job.finished.has(index)) {
      const recordKey = job.batch.items[index]!.recordKey
      const { position, token } = error
      settle(job.batch, index, {
        ok: false,
        error: new MappingError(error.code, error.message, { recordKey, position, token }),
      })
    }
}

/** The outcome a child's result stands for. */
export function outcomeOf(result: ItemResult, recordKey: string | undefined): PoolOutcome {
  if (result.error) {
    const { code, message, token } = result.error
    const position = result.error.position as MappingPosition | undefined
    return { ok: false, error: new MappingError(code, message, { position, token, recordKey }) }
  }
  return result.skipped ? { ok: true, value: null, skipped: true } : { ok: true, value: result.value ?? null }
}

/** The error of what a closed pool was asked, or had not finished. */
export function closedError(): MappingError {
  return new MappingError('pool_closed', 'the mapping pool closed before this evaluation ran')
}

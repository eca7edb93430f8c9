import type { FoundRecord } from '../../../core/connector/connector.ts'
import type { LookupResolver } from '../../../core/mapping/mapping-context.ts'
import type { RecordState } from '../../../core/record/record-state.ts'
import type { RecordProgress } from '../../store/database.ts'
import type { RecordPatch, RecordRow } from '../../store/records-store.ts'
import type { LiveConnection } from '../connection-contexts.ts'
import type { DeliveryDeps } from '../engine-deps.ts'
import type { FlowProgram } from '../flow-program.ts'
import type { LedgerStep } from '../ledger-step.ts'

/** What one delivery attempt ended in. */
export type DeliveryOutcome =
  | { status: 'delivered' | 'skipped' | 'awaiting' | 'failed' | 'settled' | 'shadowed' }
  | { status: 'retry'; delayMs: number; attempt: number }

/** Loads the program a record is delivered with (its own flow version, or a replay's). */
export type ProgramLoader = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>

/** Where a record ends, once a step decided it: the settle step persists it. */
export interface DeliveryEnd {
  patch: RecordPatch & { state: RecordState }
  outcome: DeliveryOutcome
}

/** One record on its way through the delivery sequence. */
export interface Delivery {
  record: RecordRow
  attempt: number
  step: LedgerStep
  /** What this and earlier attempts achieved; persisted with every state change. */
  progress: RecordProgress
  /** The record's state as this attempt left it: the guard of its next persist. */
  state: RecordState
  /** Fields its next persist also writes: the `delivering` mark's, when the write went without it (write-step). */
  unmarked?: RecordPatch
  mapped?: Record<string, unknown>
  found: FoundRecord | null
  written?: RecordProgress['written']
  end?: DeliveryEnd
  /** What a step threw for this record: the settle step retries or fails it. */
  failure?: { error: unknown }
  /** Final: set by the settle step, or as soon as another worker is found to have moved the record. */
  outcome?: DeliveryOutcome
}

/** The records one run of the sequence carries (one, or a batch chunk of one flow version) and what they share. */
export interface DeliveryRun {
  deps: DeliveryDeps
  program: FlowProgram
  target: LiveConnection
  source: LiveConnection
  lookup: LookupResolver
  /** A chunk of a batching flow: written with one `writeMany`, its ledger notes the batch size. */
  batched: boolean
  deliveries: Delivery[]
  /** Runs the same sequence, one by one, for records of another flow (a master created on demand). */
  deliverOther(program: FlowProgram, records: readonly RecordRow[]): Promise<DeliveryOutcome[]>
}

/** True while no step has decided how the record's attempt ends. */
export function moving(d: Delivery): boolean {
  return d.end === undefined && d.failure === undefined && d.outcome === undefined
}

/** Runs `fn` for each record still moving, one after another; what it throws becomes that record's failure. */
export async function forEachMoving(run: DeliveryRun, fn: (d: Delivery) => Promise<void>): Promise<void> {
  for (const d of run.deliveries) {
    if (!moving(d)) continue
    try {
      await fn(d)
    } catch (error) {
      d.failure = { error }
    }
  }
}

/** The outcome for a record that cannot be delivered as it stands (gone, settled, still awaiting), if so. */
export function notDeliverable(record: RecordRow | undefined): DeliveryOutcome | undefined {
  if (!record) return { status: 'settled' }
  // Still waiting for the target's answer: an ordered flow's job keeps holding its key meanwhile.
  if (record.state === 'awaiting') return { status: 'awaiting' }
  if (record.state !== 'queued' && record.state !== 'delivering') return { status: 'settled' }
  return undefined
}

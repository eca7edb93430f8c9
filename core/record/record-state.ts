/**
 * The states of a record and the only transitions allowed between them (a constant table, as in
 * Nango's scheduler). Every change is made through {@link assertRecordTransition} and recorded as a
 * ledger event.
 *
 * ```
 * queued ──▶ delivering ──▶ delivered
 *   ▲            │  ├──▶ awaiting ──▶ delivered | failed      (asynchronous targets: MISA)
 *   │            │  ├──▶ skipped                               (`when` false, identical record)
 *   │            │  ├──▶ failed                                (rejected: parked until replayed)
 *   │            │  └──▶ shadowed                              (shadow mode: would be written, nothing was)
 *   └────────────┘  (retry after a transient error or a crash)
 * queued ──▶ delivered | awaiting | skipped                    (a batch upsert: see write-step)
 * failed | skipped | delivered | awaiting | shadowed ──replay or go-live──▶ queued
 * ```
 */
export type RecordState =
  | 'queued'
  | 'delivering'
  | 'awaiting'
  | 'delivered'
  | 'skipped'
  | 'failed'
  | 'shadowed'

export const RECORD_STATES: readonly RecordState[] = [
  'queued',
  'delivering',
  'awaiting',
  'delivered',
  'skipped',
  'failed',
  'shadowed',
]

/** Allowed transitions: from → the states it may move to. */
export const RECORD_TRANSITIONS: Readonly<Record<RecordState, readonly RecordState[]>> = {
  // → delivered | awaiting: a batch upsert is written without the `delivering` mark first (write-step).
  queued: ['delivering', 'skipped', 'delivered', 'awaiting'],
  // delivering → delivering: a worker that died mid-delivery leaves the state; the retry takes it over.
  delivering: ['delivering', 'delivered', 'awaiting', 'skipped', 'failed', 'queued', 'shadowed'],
  awaiting: ['delivered', 'failed', 'queued', 'delivering'],
  delivered: ['queued'],
  skipped: ['queued'],
  failed: ['queued'],
  shadowed: ['queued'],
}

/** States a record never leaves on its own (only a replay moves it). */
export const SETTLED_STATES: readonly RecordState[] = ['delivered', 'skipped', 'failed', 'shadowed']

/** Thrown when code tries a transition the table does not allow (a bug, never bad input). */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: RecordState,
    readonly to: RecordState,
  ) {
    super(`record state cannot change from ${from} to ${to}`)
  }
}

/** True when `from → to` is in the table. */
export function canTransition(from: RecordState, to: RecordState): boolean {
  return RECORD_TRANSITIONS[from].includes(to)
}

/** Throws {@link IllegalTransitionError} unless `from → to` is allowed. */
export function assertRecordTransition(from: RecordState, to: RecordState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to)
}

/** States that may be replayed, i.e. moved back to `queued`. */
export const REPLAYABLE_STATES: readonly RecordState[] = RECORD_STATES.filter((s) =>
  canTransition(s, 'queued'),
)

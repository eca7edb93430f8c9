/** The states of a run (one read of a flow's source, live or backfill) and their allowed transitions. */
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled'

export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  running: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
}

/** Throws unless `from → to` is allowed for a run. */
export function assertRunTransition(from: RunState, to: RunState): void {
  if (!RUN_TRANSITIONS[from].includes(to)) throw new Error(`run state cannot change from ${from} to ${to}`)
}

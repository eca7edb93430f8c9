import { SETTLED_STATES } from '../../core/record/record-state.ts'

/** Where a run stands: its records per state, the settle rate since it started, and an ETA. */
export interface RunProgress {
  counts: Record<string, number>
  total: number
  settled: number
  remaining: number
  ratePerSecond: number
  etaSeconds: number | null
}

/**
 * Computes a run's progress from its record counts. The rate is settled records per second over the
 * run's life so far (until `finishedAt` once delivery has caught up); the ETA divides what remains by it.
 */
export function runProgress(
  counts: Record<string, number>,
  startedAt: Date,
  now: Date,
  finishedAt: Date | null,
): RunProgress {
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const settled = SETTLED_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0)
  const remaining = total - settled
  const end = remaining === 0 && finishedAt ? finishedAt : now
  const seconds = Math.max((end.getTime() - startedAt.getTime()) / 1000, 0.001)
  const ratePerSecond = Math.round((settled / seconds) * 100) / 100
  const etaSeconds = remaining > 0 && settled > 0 ? Math.ceil(remaining / (settled / seconds)) : null
  return { counts, total, settled, remaining, ratePerSecond, etaSeconds }
}

/** A schedule as the bench created it: every `periodMs`, phase fixed by `startMs` (the rule's DTSTART). */
export interface PhasedSchedule {
  periodMs: number
  startMs: number
}

/** How each occurrence in a window was served: its lateness in ms, or missed when no run came. */
export interface LatenessReport {
  lateMs: number[]
  missed: number
}

/** Occurrences of a phased schedule in [from, to]. */
export function occurrencesBetween(schedule: PhasedSchedule, from: number, to: number): number[] {
  const { periodMs, startMs } = schedule
  const first = startMs + Math.ceil((from - startMs) / periodMs) * periodMs
  const out: number[] = []
  for (let t = first; t <= to; t += periodMs) out.push(t)
  return out
}

/**
 * Pairs each occurrence in [from, to] with the first unused run that started at or after it, so a
 * run is never credited to an occurrence it preceded; occurrences left without a run count as missed.
 */
export function scheduleLateness(
  schedule: PhasedSchedule,
  runStarts: readonly number[],
  from: number,
  to: number,
): LatenessReport {
  const starts = [...runStarts].sort((a, b) => a - b)
  const report: LatenessReport = { lateMs: [], missed: 0 }
  let next = 0
  for (const occurrence of occurrencesBetween(schedule, from, to)) {
    while (next < starts.length && starts[next]! < occurrence) next++
    if (next < starts.length) report.lateMs.push(starts[next++]! - occurrence)
    else report.missed++
  }
  return report
}

/** The value at quantile `q` (0–1) of a non-empty list, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values')
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

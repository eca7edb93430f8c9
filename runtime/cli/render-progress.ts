import { RECORD_STATES, SETTLED_STATES } from '../../core/record/record-state.ts'
import { formatDuration } from './format-duration.ts'

/** What a progress display shows: records of a run or a replay, per state, and how fast they settle. */
export interface ProgressState {
  /** What is being followed, e.g. `run 0195… basware-invoices-to-bc`. */
  label: string
  counts: Record<string, number>
  total: number
  settled: number
  ratePerSecond: number
  etaSeconds: number | null
  /** Nothing more will change: the run has finished reading and every record is settled. */
  done: boolean
  /** A short phase note while there is nothing to count yet, e.g. `reading page 3`. */
  note?: string
}

const BAR = 24

/** The counts in the record-state order, states with none left out: `delivered 12 · failed 1`. */
export function formatCounts(counts: Record<string, number>): string {
  const known = RECORD_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`)
  const other = Object.keys(counts)
    .filter((s) => !(RECORD_STATES as readonly string[]).includes(s) && (counts[s] ?? 0) > 0)
    .map((s) => `${s} ${counts[s]}`)
  return [...known, ...other].join(' · ') || 'no records'
}

/**
 * One frame of the progress display as one line. On a TTY the bar is drawn with block characters and
 * the line is cut to `columns` so an in-place redraw never wraps; elsewhere it is plain ASCII.
 */
export function renderProgress(state: ProgressState, options: { tty: boolean; columns?: number }): string {
  const fraction = state.total > 0 ? state.settled / state.total : state.done ? 1 : 0
  const filled = Math.round(fraction * BAR)
  const [on, off] = options.tty ? ['█', '░'] : ['#', '-']
  const bar = `[${on.repeat(filled)}${off.repeat(BAR - filled)}]`
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`
  const parts = [
    state.label,
    `${bar} ${percent} ${state.settled}/${state.total}`,
    formatCounts(state.counts),
    `${state.ratePerSecond.toFixed(1)} rec/s`,
  ]
  if (state.done) parts.push('done')
  else if (state.etaSeconds !== null) parts.push(`ETA ${formatDuration(state.etaSeconds)}`)
  if (state.note && !state.done) parts.push(state.note)
  const line = parts.join('  ')
  const columns = options.columns ?? 0
  return options.tty && columns > 1 && line.length >= columns ? `${line.slice(0, columns - 2)}…` : line
}

/** The closing lines once the display stops: the totals and, when some failed, how to look and replay. */
export function renderSummary(state: ProgressState, replayHint: string): string[] {
  const failed = state.counts.failed ?? 0
  const settledStates = SETTLED_STATES.filter((s) => (state.counts[s] ?? 0) > 0)
  const lines = [
    `${state.label}: ${state.settled} of ${state.total} settled (${settledStates.map((s) => `${state.counts[s]} ${s}`).join(', ') || 'none'})`,
  ]
  if (failed > 0)
    lines.push(`${failed} failed: see them with \`ferry records --state failed\`; ${replayHint}`)
  return lines
}

import type { View } from '../console-env.ts'
import { RECORD_STATES, stateLabel } from './record-state.tsx'

/** An operation's progress as the API reports it (runs, backfills, bulk retries). */
export interface ProgressSnapshot {
  counts: Record<string, number>
  total: number
  settled: number
  remaining: number
  ratePerSecond: number
  etaSeconds: number | null
}

/**
 * Fills a heading's `{settled}`, `{total}` and `{<state>}` placeholders from a snapshot (the console
 * script does the same in the browser when the stream says the operation is done).
 */
export function fillProgress(template: string, progress: ProgressSnapshot): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = name === 'settled' || name === 'total' ? progress[name] : progress.counts[name]
    return value === undefined && !(RECORD_STATES as readonly string[]).includes(name)
      ? whole
      : String(value ?? 0)
  })
}

/**
 * A progress bar with the counts per state, the rate and the ETA, rendered from a snapshot; with the
 * console script on, `data-live` names the server-sent stream that keeps it current. `doneLabel`
 * (placeholders as in {@link fillProgress}) replaces the heading once nothing remains, so a finished
 * operation does not still say it is in progress.
 */
export function LiveProgress(props: {
  view: View
  label: string
  doneLabel: string
  progress: ProgressSnapshot
  live: string
}) {
  const { view, progress } = props
  const label = progress.remaining === 0 ? fillProgress(props.doneLabel, progress) : props.label
  return (
    <section
      class="card progress"
      aria-label={label}
      data-live={props.live}
      data-done-text={view.t('progress.done')}
      data-done-label={props.doneLabel}
    >
      <h2 data-field="label">{label}</h2>
      <progress max={Math.max(progress.total, 1)} value={progress.settled} aria-label={props.label} />
      <p>
        <span data-field="settled">{progress.settled}</span> /{' '}
        <span data-field="total">{progress.total}</span> {view.t('progress.settled')} ·{' '}
        <span data-field="rate">{progress.ratePerSecond}</span> {view.t('progress.perSecond')} ·{' '}
        {view.t('progress.eta')}{' '}
        <span data-field="eta">{progress.etaSeconds === null ? '—' : `${progress.etaSeconds} s`}</span>
      </p>
      <ul class="counts">
        {RECORD_STATES.map((state) => (
          <li>
            {stateLabel(view, state)}: <span data-count={state}>{progress.counts[state] ?? 0}</span>
          </li>
        ))}
      </ul>
      <p class="muted" role="status" data-field="status">
        {progress.remaining === 0 ? view.t('progress.done') : view.t('progress.running')}
      </p>
    </section>
  )
}

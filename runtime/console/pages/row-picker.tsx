import type { View } from '../console-env.ts'
import { CsrfField } from '../layout.tsx'

/** One mapping row as the API lists it. */
export interface MappingRow {
  key: string
  label: string | null
  state: 'confirmed' | 'proposed' | 'unmatched' | 'ambiguous'
  proposedValue: unknown
  match: string | null
  reason: string | null
  confirmedValue: unknown
}

/** A value of the target system a row may map to. */
export interface TargetValue {
  value: string
  label: string
}

/** A mapping value as text (empty for none). */
export const valueText = (value: unknown) => (value === null || value === undefined ? '' : String(value))

/**
 * One row's value: a filter box and a select of the target's values, then Save. `then` names the
 * page to return to after saving (the exceptions page, for a row fixed from an exception's link);
 * `labels` overrides the accessible names when the same key has a second picker on the page.
 */
export function RowPicker(props: {
  view: View
  table: string
  rowKey: string
  current: string
  values: TargetValue[]
  idPrefix?: string
  then?: 'exceptions'
  labels?: { pick: string; filter: string; save: string }
}) {
  const { view } = props
  const slug = `${props.idPrefix ?? 'pick'}-${props.table}-${props.rowKey}`.replace(/[^A-Za-z0-9_-]/g, '_')
  return (
    <form method="post" action={`/console/masters/${encodeURIComponent(props.table)}/rows`} class="picker">
      <CsrfField view={view} />
      <input type="hidden" name="key" value={props.rowKey} />
      {props.then ? <input type="hidden" name="then" value={props.then} /> : null}
      <input
        type="search"
        data-filter={`#${slug}`}
        aria-label={props.labels?.filter ?? view.t('masters.filter', { key: props.rowKey })}
        class="filter"
        autocomplete="off"
      />
      <select
        id={slug}
        name="value"
        aria-label={props.labels?.pick ?? view.t('masters.pick', { key: props.rowKey })}
        required
      >
        <option value="">{view.t('masters.pickNone')}</option>
        {props.values.map((v) => (
          <option value={v.value} selected={v.value === props.current}>
            {v.label && v.label !== v.value ? `${v.value} — ${v.label}` : v.value}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        {props.labels?.save ?? view.t('masters.save')}
      </button>
    </form>
  )
}

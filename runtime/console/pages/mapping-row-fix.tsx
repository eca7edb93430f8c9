import type { View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'
import { type MappingRow, RowPicker, type TargetValue, valueText } from './row-picker.tsx'

/** Why Ferry proposed a row's value: the kind of match, then its detail. */
export function reasonOf(view: View, row: MappingRow): string {
  const match = row.match ? view.t(`masters.match.${row.match}` as MessageKey) : ''
  return [match, row.reason].filter(Boolean).join(' — ')
}

/**
 * The row an exception's link asks for (`/console/masters?table=…&key=…`), first on the page: what
 * the row holds now (or that it has none yet) and a picker to set its value, which returns to the
 * exceptions page to retry. `tableTitle` is undefined when no enabled recipe has that table.
 */
export function MappingRowFix(props: {
  view: View
  table: string
  tableTitle: string | undefined
  rowKey: string
  row: MappingRow | undefined
  values: TargetValue[]
}) {
  const { view, row } = props
  if (props.tableTitle === undefined)
    return (
      <div class="error" role="alert" id="fix-row">
        <p>{view.t('masters.fixUnknownTable', { table: props.table })}</p>
      </div>
    )
  const vars = { key: props.rowKey, table: props.tableTitle }
  return (
    <section class="card fix" id="fix-row" aria-labelledby="fix-row-title">
      <h2 id="fix-row-title">{view.t('masters.fixTitle', vars)}</h2>
      <p>
        {row
          ? view.t('masters.fixExisting', {
              ...vars,
              state: view.t(`masters.state.${row.state}`),
              proposal: valueText(row.proposedValue) || view.t('common.none'),
            })
          : view.t('masters.fixNew', vars)}
      </p>
      {row && reasonOf(view, row) ? (
        <p class="muted">
          {view.t('masters.reason')}: {reasonOf(view, row)}
        </p>
      ) : null}
      <RowPicker
        view={view}
        table={props.table}
        rowKey={props.rowKey}
        current={valueText(row?.confirmedValue ?? row?.proposedValue)}
        values={props.values}
        idPrefix="fix"
        then="exceptions"
        labels={{
          pick: view.t('masters.fixPick', vars),
          filter: view.t('masters.fixFilter', vars),
          save: view.t('masters.fixSave'),
        }}
      />
    </section>
  )
}

import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { MappingRowFix, reasonOf } from './mapping-row-fix.tsx'
import { type MappingRow, RowPicker, type TargetValue, valueText as text } from './row-picker.tsx'

interface Table {
  name: string
  recipe: string | null
  description: string | null
  counts: { confirmed: number; proposed: number; open: number }
  createsMissing: { through: string; enabled: boolean } | null
}

type Row = MappingRow

const TONES: Record<Row['state'], string> = {
  confirmed: 'ok',
  proposed: 'idle',
  ambiguous: 'warn',
  unmatched: 'bad',
}

function TableSection(props: {
  view: View
  table: Table
  rows: Row[]
  values: TargetValue[]
  /** The key of the row an exception's link asked for, marked in the table. */
  focusKey?: string
}) {
  const { view, table } = props
  const id = `table-${table.name}`
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{table.description ?? table.name}</h2>
      <p class="muted">
        {table.name} · {view.t('masters.counts', table.counts)}
      </p>
      {table.createsMissing ? (
        <p class="hint">
          {view.t(table.createsMissing.enabled ? 'masters.createsMissing.on' : 'masters.createsMissing.off', {
            flow: table.createsMissing.through,
          })}
        </p>
      ) : null}
      <div class="actions">
        {table.counts.proposed > 0 ? (
          <form
            method="post"
            action={`/console/masters/${encodeURIComponent(table.name)}/confirm`}
            class="inline"
          >
            <CsrfField view={view} />
            <button type="submit">{view.t('masters.confirmAll')}</button>
          </form>
        ) : null}
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">{view.t('masters.key')}</th>
            <th scope="col">{view.t('masters.name')}</th>
            <th scope="col">{view.t('masters.state')}</th>
            <th scope="col">{view.t('masters.proposal')}</th>
            <th scope="col">{view.t('masters.reason')}</th>
            <th scope="col">{view.t('masters.override')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr class={row.key === props.focusKey ? 'focus' : undefined}>
              <td>{row.key}</td>
              <td>{row.label ?? ''}</td>
              <td>
                <span class={`state state-${TONES[row.state]}`}>{view.t(`masters.state.${row.state}`)}</span>
                {row.state === 'confirmed' ? <div>{text(row.confirmedValue)}</div> : null}
              </td>
              <td>{text(row.proposedValue) || view.t('common.none')}</td>
              <td>{reasonOf(view, row)}</td>
              <td>
                <RowPicker
                  view={view}
                  table={table.name}
                  rowKey={row.key}
                  current={text(row.confirmedValue ?? row.proposedValue)}
                  values={props.values}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/**
 * Map masters: each mapping table of the enabled recipes with its rows' state (proposed, confirmed,
 * ambiguous, unmatched) and why Ferry proposed each value; Confirm all proposed; override one row
 * with a searchable picker of the target system's values; Re-sync masters re-reads both systems.
 */
export function mastersPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  const render = async (
    c: Context<ConsoleEnv>,
    failure?: string,
    fixing?: { table: string; key: string },
  ) => {
    const view = c.get('view')
    const session = c.get('session')
    const tables = await readApi<{ items: Table[] }>(deps.api, session, '/v1/mapping-tables')
    const sections = await Promise.all(
      tables.items.map(async (table) => {
        const name = encodeURIComponent(table.name)
        const [rows, values] = await Promise.all([
          readApi<{ items: Row[] }>(deps.api, session, `/v1/mapping-tables/${name}/rows`),
          callApi<{ items: { value: string; label: string }[] }>(
            deps.api,
            session,
            'GET',
            `/v1/mapping-tables/${name}/values`,
          ),
        ])
        return { table, rows: rows.items, values: values.ok ? values.body.items : [] }
      }),
    )
    // An exception's link names the row to fix: `?table=<mapping table>&key=<missing key>`.
    const focusTable = fixing?.table ?? c.req.query('table')
    const focusKey = fixing?.key ?? c.req.query('key')
    const focus =
      focusTable && focusKey !== undefined ? sections.find((s) => s.table.name === focusTable) : undefined
    return c.html(
      <Layout view={view} title={view.t('masters.title')}>
        <p>{view.t('masters.intro')}</p>
        {failure ? (
          <div class="error" role="alert">
            <p>{view.t('recipes.refused')}</p>
            <p class="exact">{failure}</p>
          </div>
        ) : null}
        {focusTable && focusKey !== undefined ? (
          <MappingRowFix
            view={view}
            table={focusTable}
            tableTitle={focus ? (focus.table.description ?? focus.table.name) : undefined}
            rowKey={focusKey}
            row={focus?.rows.find((r) => r.key === focusKey)}
            values={focus?.values ?? []}
          />
        ) : null}
        {sections.length ? (
          <form method="post" action="/console/masters/resync">
            <CsrfField view={view} />
            <button type="submit" class="secondary" data-busy="…">
              {view.t('masters.resync')}
            </button>
          </form>
        ) : (
          <p>{view.t('masters.none')}</p>
        )}
        {sections.map((s) => (
          <TableSection
            view={view}
            table={s.table}
            rows={s.rows}
            values={s.values}
            focusKey={s === focus ? focusKey : undefined}
          />
        ))}
      </Layout>,
      failure ? 422 : 200,
    )
  }

  app.get('/', (c) => render(c))

  app.post('/resync', async (c) => {
    const session = c.get('session')
    const tables = await readApi<{ items: Table[] }>(deps.api, session, '/v1/mapping-tables')
    for (const table of tables.items) {
      const done = await callApi(
        deps.api,
        session,
        'POST',
        `/v1/mapping-tables/${encodeURIComponent(table.name)}/resync`,
      )
      if (!done.ok) return render(c, done.problem?.detail)
    }
    return c.redirect('/console/masters?notice=masters.resyncedNotice', 303)
  })

  app.post('/:table/confirm', async (c) => {
    const done = await callApi(
      deps.api,
      c.get('session'),
      'POST',
      `/v1/mapping-tables/${encodeURIComponent(c.req.param('table'))}/confirm`,
    )
    if (!done.ok) return render(c, done.problem?.detail)
    return c.redirect('/console/masters?notice=masters.confirmedNotice', 303)
  })

  app.post('/:table/rows', async (c) => {
    const form = await c.req.parseBody()
    const key = typeof form.key === 'string' ? form.key : ''
    const done = await callApi(
      deps.api,
      c.get('session'),
      'PUT',
      `/v1/mapping-tables/${encodeURIComponent(c.req.param('table'))}/rows/${encodeURIComponent(key)}`,
      { value: typeof form.value === 'string' ? form.value : '' },
    )
    if (!done.ok)
      return render(
        c,
        [done.problem?.detail, ...(done.problem?.errors ?? []).map((e) => e.detail)].join('\n'),
        form.then === 'exceptions' ? { table: c.req.param('table'), key } : undefined,
      )
    // A row fixed from an exception's link goes back to the exceptions, where its group is retried.
    if (form.then === 'exceptions') return c.redirect('/console/exceptions?notice=masters.fixedNotice', 303)
    return c.redirect('/console/masters?notice=masters.savedNotice', 303)
  })
  return app
}

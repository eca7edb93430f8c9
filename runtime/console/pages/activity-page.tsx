import { Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { RECORD_STATES, RecordState, stateLabel } from './record-state.tsx'
import { RecordTimeline } from './record-timeline.tsx'
import { SourceFacts } from './source-facts.tsx'

interface RecordItem {
  id: string
  flowId: string
  sourceKey: string
  state: string
  targetNumber: string | null
  attempts: number
  error: { message?: string; remoteMessage?: string } | null
  updatedAt: string
}

/** The filters Activity passes on to GET /v1/records (empty ones left out). */
const FILTERS = ['state', 'flow', 'document', 'key', 'cursor'] as const

function recordsPath(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams({ limit: '50' })
  for (const name of FILTERS) if (query[name]) params.set(name, query[name]!)
  return `/v1/records?${params}`
}

function errorText(error: RecordItem['error']): string {
  return error?.remoteMessage ?? error?.message ?? ''
}

function Filters(props: {
  view: View
  query: Record<string, string | undefined>
  flows: { id: string; name: string }[]
}) {
  const { view, query } = props
  return (
    <form method="get" action="/console/activity" class="filter" aria-label={view.t('activity.search')}>
      <label>
        {view.t('activity.document')}
        <input name="document" value={query.document ?? ''} />
      </label>
      <label>
        {view.t('activity.key')}
        <input name="key" value={query.key ?? ''} />
      </label>
      <label>
        {view.t('activity.state')}
        <select name="state">
          <option value="">{view.t('activity.any')}</option>
          {RECORD_STATES.map((s) => (
            <option value={s} selected={query.state === s}>
              {stateLabel(view, s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {view.t('activity.flow')}
        <select name="flow">
          <option value="">{view.t('activity.any')}</option>
          {props.flows.map((f) => (
            <option value={f.id} selected={query.flow === f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{view.t('activity.search')}</button>
    </form>
  )
}

/**
 * Activity: the tenant's records, newest change first, filtered by state, flow, document number
 * (vendor invoice number) and source key, 50 a page (keyset); a record's ledger as a timeline with
 * Retry.
 */
export function activityPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  app.get('/', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const query = Object.fromEntries(FILTERS.map((n) => [n, c.req.query(n)?.trim() || undefined]))
    const [flows, answer] = await Promise.all([
      readApi<{ items: { id: string; name: string }[] }>(deps.api, session, '/v1/flows'),
      callApi<{ items: RecordItem[]; nextCursor: string | null }>(
        deps.api,
        session,
        'GET',
        recordsPath(query),
      ),
    ])
    const flowName = new Map(flows.items.map((f) => [f.id, f.name]))
    const next = answer.ok && answer.body.nextCursor
    const nextQuery = new URLSearchParams()
    for (const name of FILTERS) if (query[name] && name !== 'cursor') nextQuery.set(name, query[name]!)
    if (next) nextQuery.set('cursor', next)
    return c.html(
      <Layout view={view} title={view.t('activity.title')}>
        <Filters view={view} query={query} flows={flows.items} />
        {!answer.ok ? (
          <div class="error" role="alert">
            <p>{answer.problem?.detail}</p>
            {answer.problem?.errors?.map((e) => (
              <p>{e.detail}</p>
            ))}
          </div>
        ) : answer.body.items.length === 0 ? (
          <p>{view.t('activity.empty')}</p>
        ) : (
          <table>
            <caption class="muted">{view.t('activity.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{view.t('activity.key')}</th>
                <th scope="col">{view.t('activity.flow')}</th>
                <th scope="col">{view.t('activity.state')}</th>
                <th scope="col">{view.t('activity.targetNumber')}</th>
                <th scope="col">{view.t('activity.changed')}</th>
                <th scope="col">{view.t('activity.error')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.body.items.map((r) => (
                <tr>
                  <td>
                    <a href={`/console/activity/${r.id}`}>{r.sourceKey}</a>
                  </td>
                  <td>{flowName.get(r.flowId) ?? r.flowId}</td>
                  <td>
                    <RecordState view={view} state={r.state} />
                  </td>
                  <td>{r.targetNumber ?? ''}</td>
                  <td>{view.date(r.updatedAt)}</td>
                  <td class="exact">{errorText(r.error)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next ? (
          <p>
            <a class="button secondary" href={`/console/activity?${nextQuery}`}>
              {view.t('activity.next')}
            </a>
          </p>
        ) : null}
      </Layout>,
    )
  })

  app.get('/:recordId', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const id = c.req.param('recordId')
    const answer = await callApi(deps.api, session, 'GET', `/v1/records/${encodeURIComponent(id)}`)
    if (!answer.ok)
      return c.html(
        <Layout view={view} title={view.t('activity.record')}>
          <p role="alert">{answer.problem?.detail}</p>
        </Layout>,
        answer.status === 422 ? 404 : (answer.status as 404),
      )
    const { record, ledger } = answer.body
    const flow = await callApi<{ name: string }>(deps.api, session, 'GET', `/v1/flows/${record.flowId}`)
    return c.html(
      <Layout view={view} title={view.t('activity.recordTitle', { key: record.sourceKey })}>
        <dl class="facts">
          <dt>{view.t('activity.flow')}</dt>
          <dd>{flow.ok ? flow.body.name : record.flowId}</dd>
          <dt>{view.t('activity.state')}</dt>
          <dd>
            <RecordState view={view} state={record.state} />
          </dd>
          <dt>{view.t('activity.targetNumber')}</dt>
          <dd>{record.targetNumber ?? view.t('common.none')}</dd>
          <dt>{view.t('activity.attempts')}</dt>
          <dd>{record.attempts}</dd>
          <dt>{view.t('activity.changed')}</dt>
          <dd>{view.date(record.updatedAt)}</dd>
        </dl>
        {record.error ? (
          <div class="error" role="alert">
            <h2>{view.t('activity.exactError')}</h2>
            <p class="exact">{errorText(record.error)}</p>
            {record.error.remoteCode ? <p class="muted">{record.error.remoteCode}</p> : null}
          </div>
        ) : null}
        {['failed', 'skipped', 'delivered', 'awaiting'].includes(record.state) ? (
          <form method="post" action={`/console/activity/${record.id}/retry`} class="actions">
            <CsrfField view={view} />
            <button type="submit" data-busy={view.t('activity.retrying')}>
              {view.t('activity.retry')}
            </button>
          </form>
        ) : null}
        <h2>{view.t('activity.facts')}</h2>
        <SourceFacts view={view} source={record.source} />
        <h2>{view.t('activity.source')}</h2>
        <pre class="json" tabindex={0}>
          {JSON.stringify(record.source, null, 2)}
        </pre>
        <h2>{view.t('activity.timeline')}</h2>
        <RecordTimeline view={view} ledger={ledger} />
      </Layout>,
    )
  })

  app.post('/:recordId/retry', async (c) => {
    const view = c.get('view')
    const id = c.req.param('recordId')
    const answer = await callApi(deps.api, c.get('session'), 'POST', '/v1/records/replay', {
      ids: [id],
      version: 'latest',
    })
    if (!answer.ok)
      return c.html(
        <Layout view={view} title={view.t('activity.record')}>
          <p role="alert">{answer.problem?.detail}</p>
        </Layout>,
        answer.status as 404,
      )
    return c.redirect(`/console/activity/${encodeURIComponent(id)}?notice=activity.retried`, 303)
  })
  return app
}

import { Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { BarChart } from './bar-chart.tsx'
import { stateLabel } from './record-state.tsx'

interface Diagnostics {
  subscriptions: {
    id: string
    connectionId: string
    stream: string
    state: string
    expiresAt: string | null
    lastError: string | null
    lastNotificationAt: string | null
  }[]
  connections: {
    id: string
    name: string
    connector: string
    status: string
    statusMessage: string | null
    budget: { requests: number; perMs: number } | null
    rateUse: { at: string; used: number; waited: number }[]
  }[]
  backlog: Record<string, number>
  flows: {
    id: string
    name: string
    enabled: boolean
    lastPolledAt: string | null
    lastRun: { id: string; state: string; startedAt: string } | null
  }[]
}

function RateUse(props: { view: View; connection: Diagnostics['connections'][number] }) {
  const { view, connection } = props
  const perMinute = connection.budget
    ? Math.floor((connection.budget.requests * 60_000) / connection.budget.perMs)
    : undefined
  const peak = Math.max(0, ...connection.rateUse.map((u) => u.used))
  const waited = connection.rateUse.reduce((sum, u) => sum + u.waited, 0)
  if (connection.rateUse.length === 0) return <p class="muted">{view.t('diagnostics.noRateUse')}</p>
  const title = view.t('diagnostics.rateChart', {
    name: connection.name,
    peak,
    budget: perMinute ?? '—',
  })
  return (
    <figure>
      <BarChart
        title={title}
        series={['used']}
        limit={perMinute}
        bars={connection.rateUse.map((u) => ({
          label: new Intl.DateTimeFormat(view.language, {
            timeZone: view.timeZone,
            hour: '2-digit',
            minute: '2-digit',
          }).format(new Date(u.at)),
          parts: { used: u.used },
        }))}
      />
      <figcaption>
        {title}
        {waited > 0 ? ` · ${view.t('diagnostics.waited', { count: waited })}` : ''}
      </figcaption>
    </figure>
  )
}

/**
 * Diagnostics: webhook subscriptions with expiry and last notification (*Renew*), each connection's
 * check (*Check now*) and rate-budget use per minute, the delivery backlog, and each flow's last poll.
 */
export function diagnosticsPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  app.get('/', async (c) => {
    const view = c.get('view')
    const d = await readApi<Diagnostics>(deps.api, c.get('session'), '/v1/diagnostics')
    const connectionName = new Map(d.connections.map((x) => [x.id, x.name]))
    const now = Date.now()
    return c.html(
      <Layout view={view} title={view.t('diagnostics.title')}>
        <h2>{view.t('diagnostics.subscriptions')}</h2>
        {d.subscriptions.length === 0 ? (
          <p>{view.t('diagnostics.noSubscriptions')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{view.t('diagnostics.stream')}</th>
                <th scope="col">{view.t('diagnostics.connection')}</th>
                <th scope="col">{view.t('diagnostics.expires')}</th>
                <th scope="col">{view.t('diagnostics.lastNotification')}</th>
                <th scope="col">{view.t('diagnostics.action')}</th>
              </tr>
            </thead>
            <tbody>
              {d.subscriptions.map((s) => {
                const expired = s.expiresAt !== null && new Date(s.expiresAt).getTime() <= now
                return (
                  <tr>
                    <td>{s.stream}</td>
                    <td>{connectionName.get(s.connectionId) ?? s.connectionId}</td>
                    <td>
                      {expired ? (
                        <span class="state state-bad">{view.t('diagnostics.expired')}</span>
                      ) : s.state !== 'active' ? (
                        <span class="state state-bad">{s.state}</span>
                      ) : null}{' '}
                      {s.expiresAt ? view.date(s.expiresAt) : view.t('common.none')}
                      {s.lastError ? <p class="exact">{s.lastError}</p> : null}
                    </td>
                    <td>{s.lastNotificationAt ? view.date(s.lastNotificationAt) : view.t('common.never')}</td>
                    <td>
                      <form
                        method="post"
                        action={`/console/diagnostics/subscriptions/${s.id}/renew`}
                        class="inline"
                      >
                        <CsrfField view={view} />
                        <button
                          type="submit"
                          aria-label={view.t('diagnostics.renewOne', { stream: s.stream })}
                        >
                          {view.t('diagnostics.renew')}
                        </button>
                      </form>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
        <h2>{view.t('diagnostics.connections')}</h2>
        {d.connections.map((x) => (
          <section class="card" aria-labelledby={`connection-${x.id}`}>
            <h3 id={`connection-${x.id}`}>
              {x.name} <span class="muted">({x.connector})</span>
            </h3>
            <p>
              <span class={`state state-${x.status === 'ok' ? 'ok' : x.status === 'error' ? 'bad' : 'idle'}`}>
                {x.status === 'ok'
                  ? view.t('integrations.connected')
                  : x.status === 'error'
                    ? view.t('integrations.failing')
                    : view.t('integrations.unchecked')}
              </span>
            </p>
            {x.statusMessage ? <p class="exact">{x.statusMessage}</p> : null}
            <form method="post" action={`/console/diagnostics/connections/${x.id}/check`} class="inline">
              <CsrfField view={view} />
              <button
                type="submit"
                class="secondary"
                aria-label={view.t('diagnostics.checkOne', { name: x.name })}
              >
                {view.t('diagnostics.check')}
              </button>
            </form>
            <RateUse view={view} connection={x} />
          </section>
        ))}
        <h2>{view.t('diagnostics.backlog')}</h2>
        <ul class="counts">
          {['queued', 'delivering', 'awaiting', 'failed'].map((s) => (
            <li>
              {stateLabel(view, s)}: {d.backlog[s] ?? 0}
            </li>
          ))}
        </ul>
        <h2>{view.t('diagnostics.flows')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{view.t('activity.flow')}</th>
              <th scope="col">{view.t('diagnostics.enabled')}</th>
              <th scope="col">{view.t('diagnostics.lastPoll')}</th>
              <th scope="col">{view.t('diagnostics.lastRun')}</th>
            </tr>
          </thead>
          <tbody>
            {d.flows.map((f) => (
              <tr>
                <td>{f.name}</td>
                <td>{f.enabled ? view.t('diagnostics.yes') : view.t('diagnostics.no')}</td>
                <td>{f.lastPolledAt ? view.date(f.lastPolledAt) : view.t('common.never')}</td>
                <td>
                  {f.lastRun
                    ? `${f.lastRun.state} · ${view.date(f.lastRun.startedAt)}`
                    : view.t('common.never')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    )
  })

  const act = (path: string, apiPath: (id: string) => string, notice: string) =>
    app.post(path, async (c) => {
      const view = c.get('view')
      const answer = await callApi(deps.api, c.get('session'), 'POST', apiPath(c.req.param('id')!))
      if (!answer.ok)
        return c.html(
          <Layout view={view} title={view.t('diagnostics.title')}>
            <p role="alert" class="exact">
              {answer.problem?.detail}
            </p>
            <p>
              <a href="/console/diagnostics">{view.t('common.back')}</a>
            </p>
          </Layout>,
          answer.status as 404,
        )
      return c.redirect(
        `/console/diagnostics?notice=${answer.body?.ok === false ? 'diagnostics.checkFailed' : notice}`,
        303,
      )
    })
  act(
    '/subscriptions/:id/renew',
    (id) => `/v1/subscriptions/${encodeURIComponent(id)}/renew`,
    'diagnostics.renewed',
  )
  act(
    '/connections/:id/check',
    (id) => `/v1/connections/${encodeURIComponent(id)}/check`,
    'diagnostics.checked',
  )
  return app
}

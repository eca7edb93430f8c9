import { Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { LiveProgress, type ProgressSnapshot } from './live-progress.tsx'

interface ExceptionGroup {
  cause: string
  kind: string
  code: string
  message: string
  count: number
  firstAt: string
  lastAt: string
  exampleRecordId: string
  flowIds: string[]
  mappingRow: { lookup: string; table: string | null; key: string | null } | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The row to add or confirm on Map masters: `table` and `key` put a form for exactly that row at the
 * top of the page (`#fix-row`), and mark the row in its table.
 */
export function mappingRowHref(table: string, key: string): string {
  const query = new URLSearchParams({ table, key })
  return `/console/masters?${query}#fix-row`
}

/**
 * Exceptions: failed records grouped by cause with the system's exact message, *Retry all in this
 * group* (followed live), and for a missing mapping row a link straight to it.
 */
export function exceptionsPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  app.get('/', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const retryId = c.req.query('retry')
    const [groups, flows, retry] = await Promise.all([
      readApi<{ items: ExceptionGroup[] }>(deps.api, session, '/v1/exceptions'),
      readApi<{ items: { id: string; name: string }[] }>(deps.api, session, '/v1/flows'),
      retryId && UUID.test(retryId)
        ? callApi<{ id: string; progress: ProgressSnapshot }>(
            deps.api,
            session,
            'GET',
            `/v1/bulk-retries/${retryId}`,
          )
        : undefined,
    ])
    const flowName = new Map(flows.items.map((f) => [f.id, f.name]))
    return c.html(
      <Layout view={view} title={view.t('exceptions.title')}>
        {retry?.ok ? (
          <LiveProgress
            view={view}
            label={view.t('exceptions.retryProgress')}
            doneLabel={view.t('exceptions.retryDone')}
            progress={retry.body.progress}
            live={`/console/live/bulk-retries/${retry.body.id}`}
          />
        ) : null}
        {retry?.ok ? (
          // Records the retry failed again are grouped anew: this reads the groups as they are now.
          <p>
            <a href="/console/exceptions">{view.t('exceptions.showAgain')}</a>
          </p>
        ) : null}
        {groups.items.length === 0 ? (
          // Right after a retry the group's records are queued, not delivered: the bar tells how it ends.
          retry?.ok ? null : (
            <p>{view.t('exceptions.none')}</p>
          )
        ) : (
          groups.items.map((g) => {
            // A missing mapping row is said in words (the engine's message is for integrators, and
            // stays below, exact); any other cause is headed by the system's own message.
            const row = g.mappingRow?.table && g.mappingRow.key !== null ? g.mappingRow : null
            const count =
              g.count === 1 ? view.t('exceptions.countOne') : view.t('exceptions.count', { count: g.count })
            return (
              <section class="card exception" aria-labelledby={`group-${g.cause}`}>
                <h2 id={`group-${g.cause}`}>
                  {count}:{' '}
                  {row ? (
                    view.t('exceptions.missingRow', { key: row.key!, table: row.table! })
                  ) : (
                    <span class="exact">{g.message}</span>
                  )}
                </h2>
                {row ? <p class="exact muted">{g.message}</p> : null}
                <dl class="facts">
                  <dt>{view.t('exceptions.code')}</dt>
                  <dd>
                    <code>{g.code}</code> ({g.kind})
                  </dd>
                  <dt>{view.t('exceptions.flows')}</dt>
                  <dd>{g.flowIds.map((id) => flowName.get(id) ?? id).join(', ')}</dd>
                  <dt>{view.t('exceptions.since')}</dt>
                  <dd>
                    {view.date(g.firstAt)} – {view.date(g.lastAt)}
                  </dd>
                </dl>
                <div class="actions">
                  {g.mappingRow?.table && g.mappingRow.key !== null ? (
                    <a class="button secondary" href={mappingRowHref(g.mappingRow.table, g.mappingRow.key)}>
                      {view.t('exceptions.fixMapping', { key: g.mappingRow.key, table: g.mappingRow.table })}
                    </a>
                  ) : null}
                  <a href={`/console/activity/${g.exampleRecordId}`}>{view.t('exceptions.example')}</a>
                  <form method="post" action={`/console/exceptions/${g.cause}/retry`} class="inline">
                    <CsrfField view={view} />
                    <button type="submit" data-busy={view.t('activity.retrying')}>
                      {view.t('exceptions.retryAll', { count: g.count })}
                    </button>
                  </form>
                </div>
              </section>
            )
          })
        )}
      </Layout>,
    )
  })

  app.post('/:cause/retry', async (c) => {
    const view = c.get('view')
    const answer = await callApi<{ bulkRetryId: string }>(
      deps.api,
      c.get('session'),
      'POST',
      `/v1/exceptions/${encodeURIComponent(c.req.param('cause'))}/retry`,
    )
    if (!answer.ok)
      return c.html(
        <Layout view={view} title={view.t('exceptions.title')}>
          <p role="alert">{answer.problem?.detail}</p>
          <p>
            <a href="/console/exceptions">{view.t('common.back')}</a>
          </p>
        </Layout>,
        answer.status === 422 ? 404 : (answer.status as 404),
      )
    return c.redirect(
      `/console/exceptions?notice=exceptions.retryStarted&retry=${answer.body.bulkRetryId}`,
      303,
    )
  })
  return app
}

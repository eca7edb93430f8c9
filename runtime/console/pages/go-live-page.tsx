import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import {
  addDays,
  type GoLiveFlow,
  type GoLiveRecipe,
  loadGoLive,
  type Reconciliation,
} from './go-live-types.ts'
import { reconciliationRoutes } from './reconciliation-report.tsx'

interface GoLiveItem {
  recordId: string
  sourceKey: string
  targetId?: string
  targetNumber?: string
  reason?: string
}

interface GoLiveReport {
  flowId: string
  flowName: string
  linked: GoLiveItem[]
  toWrite: GoLiveItem[]
  inFlight: number
}

/** How many documents of each list the preview shows (the rest is counted). */
const PREVIEW_ROWS = 50
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The problem's words and each of its errors, for an alert. */
const problemText = (problem?: { detail?: string; errors?: { detail: string }[] }) =>
  [problem?.detail, ...(problem?.errors ?? []).map((e) => e.detail)].filter(Boolean).join('\n')

function Failure(props: { view: View; text?: string }) {
  if (!props.text) return null
  return (
    <div class="error" role="alert">
      <p>{props.view.t('golive.refused')}</p>
      <p class="exact">{props.text}</p>
    </div>
  )
}

function ReconcileForm(props: { view: View; recipe: string; system: string; today: string }) {
  const { view, recipe } = props
  const id = (what: string) => `${recipe}-${what}`
  return (
    <form method="post" action={`/console/go-live/${recipe}/reconcile`}>
      <CsrfField view={view} />
      <h3>{view.t('golive.reconcile')}</h3>
      <p class="hint">{view.t('golive.reconcileIntro', { system: props.system })}</p>
      <div class="field">
        <label for={id('from')}>{view.t('golive.from')}</label>
        <input type="date" id={id('from')} name="from" required value={addDays(props.today, -7)} />
      </div>
      <div class="field">
        <label for={id('to')}>{view.t('golive.to')}</label>
        <input type="date" id={id('to')} name="to" required value={props.today} />
      </div>
      <div class="actions">
        <button type="submit" data-busy="…">
          {view.t('golive.run')}
        </button>
      </div>
    </form>
  )
}

function History(props: { view: View; items: Reconciliation[]; caption: string }) {
  const { view } = props
  if (!props.items.length) return <p class="muted">{view.t('golive.noHistory')}</p>
  return (
    <table>
      <caption class="muted">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{view.t('golive.period')}</th>
          <th scope="col">{view.t('golive.state')}</th>
          <th scope="col">{view.t('golive.class.matched')}</th>
          <th scope="col">{view.t('golive.class.differs')}</th>
          <th scope="col">
            <span class="muted">{view.t('golive.open')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => (
          <tr>
            <td>
              {view.date(r.periodFrom, 'date')} – {view.date(addDays(r.periodTo, -1), 'date')}
            </td>
            <td>{view.t(`golive.state.${r.state}`)}</td>
            <td>{r.counts.matched ?? 0}</td>
            <td>{(r.counts.differs ?? 0) + (r.counts.posted_twice ?? 0)}</td>
            <td>
              <a href={`/console/go-live/reconciliations/${r.id}`}>{view.t('golive.open')}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function RecipeSection(props: {
  view: View
  recipe: GoLiveRecipe
  flows: GoLiveFlow[]
  system: string
  history: Reconciliation[]
  today: string
}) {
  const { view, recipe, flows } = props
  const shadow = flows.some((f) => f.mode === 'shadow')
  return (
    <section class="card" aria-labelledby={`golive-${recipe.name}`}>
      <h2 id={`golive-${recipe.name}`}>{recipe.title}</h2>
      <p>
        {view.t('golive.mode')}:{' '}
        <span class={`state state-${shadow ? 'warn' : 'ok'}`}>
          {view.t(shadow ? 'golive.mode.shadow' : 'golive.mode.live')}
        </span>
      </p>
      <div class="actions">
        {flows.some((f) => f.mode === 'live') ? (
          <form
            method="post"
            action={`/console/go-live/${recipe.name}/shadow`}
            class="inline"
            data-confirm={view.t('golive.startShadowConfirm')}
          >
            <CsrfField view={view} />
            <button type="submit" class={shadow ? 'secondary' : undefined}>
              {view.t('golive.startShadow')}
            </button>
          </form>
        ) : null}
        {shadow ? (
          <a class="button" href={`/console/go-live/${recipe.name}/preview`}>
            {view.t('golive.preview')}
          </a>
        ) : null}
      </div>
      <ReconcileForm view={view} recipe={recipe.name} system={props.system} today={props.today} />
      <History view={view} items={props.history} caption={view.t('golive.history')} />
    </section>
  )
}

function ItemsTable(props: { view: View; items: GoLiveItem[]; system: string; caption: string }) {
  const { view, items } = props
  if (!items.length)
    return (
      <>
        <h2>{props.caption}</h2>
        <p class="muted">{view.t('golive.nothing')}</p>
      </>
    )
  return (
    <table>
      <caption>
        <h2>{props.caption}</h2>
      </caption>
      <thead>
        <tr>
          <th scope="col">{view.t('golive.document')}</th>
          <th scope="col">{view.t('golive.targetNumber', { system: props.system })}</th>
          <th scope="col">{view.t('golive.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {items.slice(0, PREVIEW_ROWS).map((item) => (
          <tr>
            <td>
              <a href={`/console/activity/${item.recordId}`}>{item.sourceKey}</a>
            </td>
            <td>{item.targetNumber ?? item.targetId ?? view.t('common.none')}</td>
            <td>{item.reason ?? ''}</td>
          </tr>
        ))}
        {items.length > PREVIEW_ROWS ? (
          <tr>
            <td colspan={3}>{view.t('golive.more', { count: items.length - PREVIEW_ROWS })}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  )
}

/**
 * Go live: per enabled recipe, its sample period (shadow mode on), a preview of going live (the API's
 * dry run: what would be linked and what written) with the switch itself, and comparisons of a period
 * (reconciliations) with their report. Everything goes through the tenant's API routes.
 */
export function goLivePage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  const render = async (c: Context<ConsoleEnv>, failure?: string) => {
    const view = c.get('view')
    const session = c.get('session')
    const { enabled, systemOf } = await loadGoLive(deps, session)
    const histories = await Promise.all(
      enabled.map(({ recipe }) =>
        readApi<{ items: Reconciliation[] }>(
          deps.api,
          session,
          `/v1/reconciliations?recipe=${encodeURIComponent(recipe.name)}&limit=5`,
        ),
      ),
    )
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: view.timeZone }).format(new Date())
    return c.html(
      <Layout view={view} title={view.t('golive.title')}>
        <p>{view.t('golive.intro')}</p>
        <Failure view={view} text={failure} />
        {enabled.length ? null : <p class="muted">{view.t('golive.none')}</p>}
        {enabled.map(({ recipe, flows }, i) => (
          <RecipeSection
            view={view}
            recipe={recipe}
            flows={flows}
            system={systemOf(recipe.name)}
            history={histories[i]!.items}
            today={today}
          />
        ))}
      </Layout>,
      failure ? 422 : 200,
    )
  }

  app.get('/', (c) => render(c))

  app.post('/:recipe/shadow', async (c) => {
    const recipe = encodeURIComponent(c.req.param('recipe'))
    const done = await callApi(deps.api, c.get('session'), 'POST', `/v1/recipes/${recipe}/shadow`)
    if (!done.ok) return render(c, problemText(done.problem))
    return c.redirect('/console/go-live?notice=golive.shadowNotice', 303)
  })

  app.get('/:recipe/preview', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const name = c.req.param('recipe')
    const { enabled, systemOf } = await loadGoLive(deps, session)
    const found = enabled.find((x) => x.recipe.name === name)
    if (!found) return c.notFound()
    // The dry run reads the target and changes nothing: safe on a GET page.
    const plan = await callApi<{ items: GoLiveReport[] }>(
      deps.api,
      session,
      'POST',
      `/v1/recipes/${encodeURIComponent(name)}/go-live?dryRun=true`,
    )
    const reports = plan.ok ? plan.body.items : []
    const system = systemOf(name)
    const linked = reports.flatMap((r) => r.linked)
    const toWrite = reports.flatMap((r) => r.toWrite)
    return c.html(
      <Layout view={view} title={view.t('golive.previewTitle', { recipe: found.recipe.title })}>
        <p>{view.t('golive.previewIntro')}</p>
        <Failure view={view} text={plan.ok ? undefined : problemText(plan.problem)} />
        {plan.ok ? (
          <>
            <ItemsTable
              view={view}
              items={linked}
              system={system}
              caption={view.t('golive.linked', { system, count: linked.length })}
            />
            <ItemsTable
              view={view}
              items={toWrite}
              system={system}
              caption={view.t('golive.toWrite', { count: toWrite.length })}
            />
            <form
              method="post"
              action={`/console/go-live/${name}/go-live`}
              data-confirm={view.t('golive.goLiveConfirm')}
            >
              <CsrfField view={view} />
              <div class="actions">
                <button type="submit" data-busy="…">
                  {view.t('golive.goLive')}
                </button>
                <a href="/console/go-live">{view.t('golive.back')}</a>
              </div>
            </form>
          </>
        ) : (
          <p>
            <a href="/console/go-live">{view.t('golive.back')}</a>
          </p>
        )}
      </Layout>,
      plan.ok ? 200 : 409,
    )
  })

  app.post('/:recipe/go-live', async (c) => {
    const recipe = encodeURIComponent(c.req.param('recipe'))
    const done = await callApi(deps.api, c.get('session'), 'POST', `/v1/recipes/${recipe}/go-live`)
    if (!done.ok) return render(c, problemText(done.problem))
    return c.redirect('/console/go-live?notice=golive.liveNotice', 303)
  })

  app.post('/:recipe/reconcile', async (c) => {
    const form = await c.req.parseBody()
    const from = String(form.from ?? '')
    const last = String(form.to ?? '')
    if (!DAY.test(from) || !DAY.test(last) || last < from)
      return render(c, c.get('view').t('golive.badPeriod'))
    const done = await callApi<Reconciliation>(deps.api, c.get('session'), 'POST', '/v1/reconciliations', {
      recipe: c.req.param('recipe'),
      from,
      to: addDays(last, 1),
    })
    if (!done.ok) return render(c, problemText(done.problem))
    return c.redirect(`/console/go-live/reconciliations/${done.body.id}`, 303)
  })

  app.route('/reconciliations', reconciliationRoutes(deps))
  return app
}

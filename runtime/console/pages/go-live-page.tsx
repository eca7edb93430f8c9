import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { Failure, goLivePreviewRoutes, problemText } from './go-live-preview.tsx'
import {
  addDays,
  type GoLiveFlow,
  type GoLiveRecipe,
  loadGoLive,
  type Reconciliation,
} from './go-live-types.ts'
import { reconciliationRoutes } from './reconciliation-report.tsx'

const DAY = /^\d{4}-\d{2}-\d{2}$/

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

  app.route('/', goLivePreviewRoutes(deps))
  app.route('/reconciliations', reconciliationRoutes(deps))
  return app
}

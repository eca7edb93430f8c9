import { type Context, Hono } from 'hono'
import { callApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { loadGoLive } from './go-live-types.ts'

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
/** The problem's words and each of its errors, for an alert. */
export const problemText = (problem?: { detail?: string; errors?: { detail: string }[] }) =>
  [problem?.detail, ...(problem?.errors ?? []).map((e) => e.detail)].filter(Boolean).join('\n')

/** The refusal of an action, in the system's words. */
export function Failure(props: { view: View; text?: string }) {
  if (!props.text) return null
  return (
    <div class="error" role="alert">
      <p>{props.view.t('golive.refused')}</p>
      <p class="exact">{props.text}</p>
    </div>
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
 * Going live: the preview (the API's dry run, which reads the target and changes nothing: what will be
 * linked, what posted once) and the switch itself.
 */
export function goLivePreviewRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  /** The preview; `refused` is the switch's refusal, shown above a fresh dry run. */
  const render = async (c: Context<ConsoleEnv>, refused?: string) => {
    const view = c.get('view')
    const session = c.get('session')
    const name = c.req.param('recipe') ?? ''
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
        <Failure view={view} text={refused ?? (plan.ok ? undefined : problemText(plan.problem))} />
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
      refused || !plan.ok ? 409 : 200,
    )
  }
  app.get('/:recipe/preview', (c) => render(c))

  app.post('/:recipe/go-live', async (c) => {
    const recipe = encodeURIComponent(c.req.param('recipe'))
    const done = await callApi(deps.api, c.get('session'), 'POST', `/v1/recipes/${recipe}/go-live`)
    if (!done.ok) return render(c, problemText(done.problem))
    return c.redirect('/console/go-live?notice=golive.liveNotice', 303)
  })

  return app
}

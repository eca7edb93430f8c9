import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { describeCadence } from '../describe-cadence.ts'
import { CsrfField, Layout } from '../layout.tsx'
import type { ConnectionItem, ConnectorItem } from './integration-types.ts'
import { ParameterFields, type ParameterSpec, readParameterForm } from './recipe-parameter-fields.tsx'

interface Move {
  flow: string
  description: string | null
  from: { role: string; stream: string }
  to: { role: string; stream: string; operation: string | null }
  schedule: string | null
  every: string | null
  webhook: boolean
}

interface Recipe {
  name: string
  title: string
  description?: string
  roles: Record<string, string>
  moves: Move[]
  parameters: Record<string, ParameterSpec>
}

interface FlowDetail {
  id: string
  name: string
  recipe: string | null
  enabled: boolean
  nextRunAt: string | null
  lastRun?: { state: string; startedAt: string | null; finishedAt: string | null }
}

/** Words for a stream name: `purchaseInvoices` reads "purchase invoices". */
const words = (stream: string) => stream.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()

function MovesTable(props: { view: View; recipe: Recipe; titles: Record<string, string> }) {
  const { view, recipe } = props
  const system = (role: string) => props.titles[recipe.roles[role] ?? ''] ?? role
  return (
    <table>
      <caption class="muted">{view.t('recipes.moves')}</caption>
      <thead>
        <tr>
          <th scope="col">{view.t('recipes.flow')}</th>
          <th scope="col">{view.t('recipes.from')}</th>
          <th scope="col">{view.t('recipes.to')}</th>
          <th scope="col">{view.t('recipes.when')}</th>
        </tr>
      </thead>
      <tbody>
        {recipe.moves.map((m) => (
          <tr>
            <td>{m.flow}</td>
            <td>
              {system(m.from.role)} · {words(m.from.stream)}
            </td>
            <td>
              {system(m.to.role)} · {words(m.to.stream)}
            </td>
            <td>{describeCadence(view.t, m)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function EnableForm(props: {
  view: View
  recipe: Recipe
  connections: ConnectionItem[]
  titles: Record<string, string>
}) {
  const { view, recipe } = props
  return (
    <form method="post" action={`/console/recipes/${recipe.name}/enable`}>
      <CsrfField view={view} />
      <h3>{view.t('recipes.enableTitle')}</h3>
      {Object.entries(recipe.roles).map(([role, connector]) => {
        const options = props.connections.filter((c) => c.connector === connector)
        const title = props.titles[connector] ?? connector
        const id = `${recipe.name}-role-${role}`
        return options.length ? (
          <div class="field">
            <label for={id}>{view.t('recipes.role', { connector: title })}</label>
            <select id={id} name={`role.${role}`} required>
              {options.map((o) => (
                <option value={o.id}>{o.name}</option>
              ))}
            </select>
          </div>
        ) : (
          <p class="error">{view.t('recipes.noConnection', { connector: title })}</p>
        )
      })}
      {Object.keys(recipe.parameters).length ? (
        <details>
          <summary>{view.t('recipes.parameters')}</summary>
          <ParameterFields view={view} recipe={recipe.name} parameters={recipe.parameters} />
        </details>
      ) : null}
      <div class="actions">
        <button type="submit">{view.t('recipes.enable')}</button>
      </div>
    </form>
  )
}

function FlowControls(props: { view: View; flows: FlowDetail[]; recipe: string }) {
  const { view } = props
  const post = (action: string, label: string, flowId: string, secondary = true) => (
    <form method="post" action={`/console/recipes/flows/${flowId}/${action}`} class="inline">
      <CsrfField view={view} />
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  )
  return (
    <>
      <table>
        <caption class="muted">{view.t('recipes.flows')}</caption>
        <thead>
          <tr>
            <th scope="col">{view.t('recipes.flow')}</th>
            <th scope="col">{view.t('recipes.state')}</th>
            <th scope="col">{view.t('recipes.lastRun')}</th>
            <th scope="col">{view.t('recipes.nextRun')}</th>
            <th scope="col">
              <span class="muted">{view.t('recipes.runNow')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.flows.map((f) => (
            <tr>
              <td>{f.name}</td>
              <td>
                <span class={`state state-${f.enabled ? 'ok' : 'idle'}`}>
                  {view.t(f.enabled ? 'recipes.on' : 'recipes.off')}
                </span>{' '}
                {post(
                  f.enabled ? 'disable' : 'enable',
                  view.t(f.enabled ? 'recipes.turnOff' : 'recipes.turnOn'),
                  f.id,
                )}
              </td>
              <td>
                {f.lastRun
                  ? `${view.date(f.lastRun.finishedAt ?? f.lastRun.startedAt)} · ${f.lastRun.state}`
                  : view.t('common.never')}
              </td>
              <td>{f.nextRunAt ? view.date(f.nextRunAt) : view.t('common.none')}</td>
              <td>{post('run', view.t('recipes.runNow'), f.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.flows.some((f) => !f.enabled) ? (
        <form method="post" action={`/console/recipes/${props.recipe}/turn-on`}>
          <CsrfField view={view} />
          <button type="submit">{view.t('recipes.turnAllOn')}</button>
        </form>
      ) : null}
    </>
  )
}

/**
 * Recipes: what each prebuilt recipe moves and when (generated from the recipe), enabling one by
 * binding its roles to the tenant's connections with its declared parameters, and per flow its
 * state, last and next run, on/off and Run now.
 */
export function recipesPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  const render = async (c: Context<ConsoleEnv>, failure?: string) => {
    const view = c.get('view')
    const session = c.get('session')
    const [recipes, connectors, connections, flows] = await Promise.all([
      readApi<{ items: Recipe[] }>(deps.api, session, '/v1/recipes'),
      readApi<{ items: ConnectorItem[] }>(deps.api, session, '/v1/connectors'),
      readApi<{ items: ConnectionItem[] }>(deps.api, session, '/v1/connections'),
      readApi<{ items: FlowDetail[] }>(deps.api, session, '/v1/flows'),
    ])
    const titles = Object.fromEntries(connectors.items.map((c) => [c.id, c.title]))
    const details = await Promise.all(
      flows.items.map(async (f) => {
        const [detail, runs] = await Promise.all([
          readApi<FlowDetail>(deps.api, session, `/v1/flows/${f.id}`),
          readApi<{ items: FlowDetail['lastRun'][] }>(deps.api, session, `/v1/flows/${f.id}/runs?limit=1`),
        ])
        return { ...detail, lastRun: runs.items[0] }
      }),
    )
    return c.html(
      <Layout view={view} title={view.t('recipes.title')}>
        <p>{view.t('recipes.intro')}</p>
        {failure ? (
          <div class="error" role="alert">
            <p>{view.t('recipes.refused')}</p>
            <p class="exact">{failure}</p>
          </div>
        ) : null}
        {recipes.items.map((recipe) => {
          const mine = details.filter((f) => f.recipe === recipe.name)
          return (
            <section class="card" aria-labelledby={`recipe-${recipe.name}`}>
              <h2 id={`recipe-${recipe.name}`}>{recipe.title}</h2>
              {recipe.description ? <p>{recipe.description}</p> : null}
              {mine.length ? (
                <p>
                  <span class="state state-ok">{view.t('recipes.enabled')}</span>
                </p>
              ) : null}
              <MovesTable view={view} recipe={recipe} titles={titles} />
              {mine.length ? (
                <FlowControls view={view} flows={mine} recipe={recipe.name} />
              ) : (
                <EnableForm view={view} recipe={recipe} connections={connections.items} titles={titles} />
              )}
            </section>
          )
        })}
      </Layout>,
      failure ? 422 : 200,
    )
  }

  app.get('/', (c) => render(c))

  app.post('/:recipe/enable', async (c) => {
    const form = await c.req.parseBody()
    const bindings: Record<string, string> = {}
    for (const [name, value] of Object.entries(form))
      if (typeof value === 'string' && name.startsWith('role.')) bindings[name.slice(5)] = value
    // The form carries text: each parameter is read back as the type the recipe declares.
    const recipes = await readApi<{ items: Recipe[] }>(deps.api, c.get('session'), '/v1/recipes')
    const declared = recipes.items.find((r) => r.name === c.req.param('recipe'))?.parameters ?? {}
    const parameters = readParameterForm(declared, form)
    const done = await callApi(
      deps.api,
      c.get('session'),
      'POST',
      `/v1/recipes/${c.req.param('recipe')}/enable`,
      {
        bindings,
        parameters,
      },
    )
    if (!done.ok)
      return render(
        c,
        [done.problem?.detail, ...(done.problem?.errors ?? []).map((e) => e.detail)].join('\n'),
      )
    return c.redirect('/console/recipes?notice=recipes.enabledNotice', 303)
  })

  app.post('/:recipe/turn-on', async (c) => {
    const session = c.get('session')
    const flows = await readApi<{ items: FlowDetail[] }>(deps.api, session, '/v1/flows')
    for (const f of flows.items.filter((x) => x.recipe === c.req.param('recipe') && !x.enabled)) {
      const done = await callApi(deps.api, session, 'POST', `/v1/flows/${f.id}/enable`)
      if (!done.ok) return render(c, done.problem?.detail)
    }
    return c.redirect('/console/recipes?notice=recipes.flowsOn', 303)
  })

  for (const [action, notice] of [
    ['enable', 'recipes.flowsOn'],
    ['disable', 'recipes.flowOff'],
    ['run', 'recipes.runQueued'],
  ] as const)
    app.post(`/flows/:flowId/${action}`, async (c) => {
      const done = await callApi(
        deps.api,
        c.get('session'),
        'POST',
        `/v1/flows/${c.req.param('flowId')}/${action}`,
      )
      if (!done.ok) return render(c, done.problem?.detail)
      return c.redirect(`/console/recipes?notice=${notice}`, 303)
    })
  return app
}

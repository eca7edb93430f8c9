import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { CsrfField, Layout } from '../layout.tsx'
import {
  type ConnectionItem,
  type ConnectorItem,
  pickedAfterSaving,
  storedSecrets,
} from './integration-types.ts'
import { formFields, readConfigForm, SchemaFields } from './schema-form.tsx'

/** The API's complaints by config field (`/config/<field>` pointers), and the rest as one text. */
function errorsByField(problem: { detail?: string; errors?: { pointer?: string; detail: string }[] }) {
  const byField: Record<string, string> = {}
  const other: string[] = []
  for (const item of problem.errors ?? []) {
    const field = /^\/config\/([^/]+)/.exec(item.pointer ?? '')?.[1]
    if (field && !byField[field]) byField[field] = item.detail
    else other.push(item.detail)
  }
  if (!problem.errors?.length && problem.detail) other.push(problem.detail)
  return { byField, other }
}

function SetupPage(props: {
  view: View
  connector: ConnectorItem
  connection?: ConnectionItem
  values: Record<string, unknown>
  errors: Record<string, string>
  failure?: string
}) {
  const { view, connector } = props
  return (
    <Layout view={view} title={view.t('integrations.setupTitle', { system: connector.title })}>
      <p>{view.t('integrations.setupIntro', { system: connector.title })}</p>
      {props.failure ? (
        <div class="error" role="alert">
          <p>{view.t('integrations.checkFailed', { system: connector.title })}</p>
          <p class="exact">{props.failure}</p>
        </div>
      ) : null}
      <form method="post" action={`/console/integrations/${connector.id}/setup`} class="card">
        <CsrfField view={view} />
        <SchemaFields
          view={view}
          schema={connector.configSchema}
          values={props.values}
          errors={props.errors}
          storedSecrets={storedSecrets(props.connection)}
          choices={connector.choices}
        />
        {props.connection
          ? pickedAfterSaving(connector).map((field) => (
              <p>
                <a href={`/console/integrations/${props.connection!.id}/choose?field=${field}`}>
                  {view.t('integrations.pickAgain', { field, system: connector.title })}
                </a>
              </p>
            ))
          : null}
        <div class="actions">
          <button type="submit" data-busy="…">
            {view.t('integrations.saveAndCheck')}
          </button>
          <a href="/console/integrations">{view.t('common.cancel')}</a>
        </div>
      </form>
    </Layout>
  )
}

/** Runs the connection's check; the failure text is the system's own answer, or undefined when it works. */
export async function checkConnection(deps: ConsoleDeps, c: Context<ConsoleEnv>, id: string) {
  const check = await callApi(deps.api, c.get('session'), 'POST', `/v1/connections/${id}/check`)
  if (!check.ok) return check.problem?.detail ?? `HTTP ${check.status}`
  return check.body.ok ? undefined : String(check.body.message)
}

/**
 * Connect a system with a form generated from its connector's config schema: checked against the
 * system and only then saved, through the API (`?check=true`); its validation errors show under their
 * fields, the system's exact refusal above them, and a refused form saves nothing. Also "Check now".
 */
export function setupRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  const load = async (c: Context<ConsoleEnv>, connectorId: string) => {
    const session = c.get('session')
    const [connectors, connections] = await Promise.all([
      readApi<{ items: ConnectorItem[] }>(deps.api, session, '/v1/connectors'),
      readApi<{ items: ConnectionItem[] }>(deps.api, session, '/v1/connections'),
    ])
    return {
      connector: connectors.items.find((x) => x.id === connectorId),
      connection: connections.items.find((x) => x.connector === connectorId),
    }
  }

  app.get('/:connector/setup', async (c) => {
    const { connector, connection } = await load(c, c.req.param('connector'))
    if (!connector) return c.notFound()
    const failure = connection?.status === 'error' ? (connection.statusMessage ?? undefined) : undefined
    return c.html(
      <SetupPage
        view={c.get('view')}
        connector={connector}
        connection={connection}
        values={connection?.config ?? {}}
        errors={{}}
        failure={failure}
      />,
    )
  })

  app.post('/:connector/setup', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const { connector, connection } = await load(c, c.req.param('connector'))
    if (!connector) return c.notFound()
    const { main, advanced } = formFields(connector.configSchema, connector.choices)
    const config = readConfigForm([...main, ...advanced], await c.req.parseBody())
    // Checked before saving: when the system refuses, nothing is saved and its exact answer shows.
    const saved = connection
      ? await callApi(deps.api, session, 'PUT', `/v1/connections/${connection.id}?check=true`, { config })
      : await callApi(deps.api, session, 'POST', '/v1/connections?check=true', {
          name: connector.id,
          connector: connector.id,
          config,
        })
    if (!saved.ok) {
      const { byField, other } = errorsByField(saved.problem ?? {})
      return c.html(
        <SetupPage
          view={view}
          connector={connector}
          connection={connection}
          values={config}
          errors={byField}
          failure={other.join('\n') || undefined}
        />,
        422,
      )
    }
    // A field the system lists (MISA's branch) is picked next, from that list.
    const stored = saved.body as ConnectionItem
    if (pickedAfterSaving(connector).some((field) => !stored.config?.[field]))
      return c.redirect(`/console/integrations/${stored.id}/choose`, 303)
    return c.redirect('/console/integrations?notice=integrations.connectedNotice', 303)
  })

  app.post('/:connectionId/check', async (c) => {
    const failure = await checkConnection(deps, c, c.req.param('connectionId'))
    return c.redirect(
      failure ? '/console/integrations' : '/console/integrations?notice=integrations.checkedOk',
      303,
    )
  })
  return app
}

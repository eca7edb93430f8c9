import { type Context, Hono } from 'hono'
import { callApi, readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'
import { CsrfField, Layout } from '../layout.tsx'
import type { ConnectionItem, ConnectorItem } from './integration-types.ts'
import { checkConnection } from './setup-routes.tsx'

/** The label of each field a person picks from a system's list (others show their name). */
const CHOICE_LABELS: Record<string, MessageKey> = {
  environment: 'integrations.chooseEnvironment',
  company: 'integrations.chooseCompany',
  branchId: 'integrations.chooseBranch',
}

// Until the user picks them, a delegated BC connection needs placeholders its schema accepts.
const PENDING = { tenantId: 'organizations', environment: 'Production', company: 'pending' }

function ProblemPage(props: { view: View; title: string; lead: string; detail: string }) {
  return (
    <Layout view={props.view} title={props.title}>
      <div class="error" role="alert">
        <p>{props.lead}</p>
        <p class="exact">{props.detail}</p>
      </div>
      <p>
        <a href="/console/integrations">{props.view.t('common.back')}</a>
      </p>
    </Layout>
  )
}

function ChoosePage(props: {
  view: View
  system: string
  connectionId: string
  field: string
  current: unknown
  items: { value: string; label: string }[]
}) {
  const { view, field } = props
  const selected = props.items.some((i) => i.value === props.current) ? props.current : props.items[0]?.value
  return (
    <Layout view={view} title={view.t('integrations.chooseTitle', { system: props.system })}>
      <form method="post" action={`/console/integrations/${props.connectionId}/choose`} class="card">
        <CsrfField view={view} />
        <input type="hidden" name="field" value={field} />
        <label for="choice-filter">{view.t('integrations.chooseFilter')}</label>
        <input id="choice-filter" type="search" data-filter="#choice" autocomplete="off" />
        <label for="choice">{CHOICE_LABELS[field] ? view.t(CHOICE_LABELS[field]) : field}</label>
        <select id="choice" name="value" required size={Math.min(8, Math.max(2, props.items.length))}>
          {props.items.map((item) => (
            <option value={item.value} selected={item.value === selected}>
              {item.label}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">{view.t('integrations.continue')}</button>
        </div>
      </form>
    </Layout>
  )
}

/**
 * Connect by browser consent (BC's delegated sign-in): create or reuse the connection with the
 * deployment's app registration, send the browser to Microsoft, take the callback, then let the
 * user pick environment and company from BC's own lists; finally check the connection. The same
 * pick page serves any connector's listed fields (MISA's branch, after its form was saved).
 */
export function consentRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  const callbackUrl = () => `${deps.publicUrl.replace(/\/$/, '')}/console/integrations/callback`

  app.post('/:connector/consent', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const connectorId = c.req.param('connector')
    const connectors = await readApi<{ items: ConnectorItem[] }>(deps.api, session, '/v1/connectors')
    const connector = connectors.items.find((x) => x.id === connectorId && x.consent)
    if (!connector) return c.notFound()
    const connections = await readApi<{ items: ConnectionItem[] }>(deps.api, session, '/v1/connections')
    let connection = connections.items.find((x) => x.connector === connectorId)
    const registration = deps.consentApps?.()[connectorId]
    const fail = (detail: string) =>
      c.html(
        <ProblemPage
          view={view}
          title={connector.title}
          lead={view.t('integrations.consentFailed')}
          detail={detail}
        />,
        422,
      )
    if (!connection) {
      if (!registration) return fail(view.t('integrations.noConsentApp', { system: connector.title }))
      const created = await callApi(deps.api, session, 'POST', '/v1/connections', {
        name: connectorId,
        connector: connectorId,
        config: { ...registration, ...PENDING, authMode: 'delegated' },
      })
      if (!created.ok) return fail(created.problem?.detail ?? `HTTP ${created.status}`)
      connection = created.body as ConnectionItem
    } else if (connection.config.authMode !== 'delegated') {
      // Reconnect of an app-registration connection switches it to a signed-in user.
      const switched = await callApi(deps.api, session, 'PUT', `/v1/connections/${connection.id}`, {
        config: { authMode: 'delegated' },
      })
      if (!switched.ok) return fail(switched.problem?.detail ?? `HTTP ${switched.status}`)
    }
    const begun = await callApi(deps.api, session, 'POST', `/v1/connections/${connection.id}/consent`, {
      redirectUri: callbackUrl(),
    })
    if (!begun.ok) return fail(begun.problem?.detail ?? `HTTP ${begun.status}`)
    return c.redirect(begun.body.url, 303)
  })

  app.get('/callback', async (c) => {
    const view = c.get('view')
    const url = new URL(c.req.url)
    const state = url.searchParams.get('state') ?? ''
    const connectionId = state.split('.')[0] ?? ''
    const back = new URL(callbackUrl())
    back.search = url.search
    const done = await callApi(
      deps.api,
      c.get('session'),
      'POST',
      `/v1/connections/${encodeURIComponent(connectionId)}/consent/complete`,
      { callbackUrl: back.href },
    )
    if (!done.ok)
      return c.html(
        <ProblemPage
          view={view}
          title={view.t('integrations.title')}
          lead={view.t('integrations.consentFailed')}
          detail={done.problem?.detail ?? `HTTP ${done.status}`}
        />,
        422,
      )
    return c.redirect(`/console/integrations/${connectionId}/choose`, 303)
  })

  /**
   * The field to pick now: one asked for again (`?field=`, a listed one), else BC's environment until
   * one was picked from the list, then its company, then any listed field still empty (MISA's branch).
   */
  const nextField = (connection: ConnectionItem, connector: ConnectorItem | undefined, asked?: string) => {
    const listed = connector?.choices ?? []
    if (asked && listed.includes(asked)) return asked
    if (connection.config.tenantId === PENDING.tenantId) return 'environment'
    if (connection.config.company === PENDING.company) return 'company'
    return listed.find((field) => [undefined, null, ''].includes(connection.config[field] as any))
  }

  const connectorOf = async (c: Context<ConsoleEnv>, connection: ConnectionItem) =>
    (await readApi<{ items: ConnectorItem[] }>(deps.api, c.get('session'), '/v1/connectors')).items.find(
      (x) => x.id === connection.connector,
    )

  const showChoices = async (c: Context<ConsoleEnv>, connection: ConnectionItem, asked?: string) => {
    const view = c.get('view')
    const connector = await connectorOf(c, connection)
    const system = connector?.title ?? connection.connector
    const field = nextField(connection, connector, asked)
    if (!field) {
      const failure = await checkConnection(deps, c, connection.id)
      return c.redirect(
        failure ? '/console/integrations' : '/console/integrations?notice=integrations.connectedNotice',
        303,
      )
    }
    const listed = await callApi(
      deps.api,
      c.get('session'),
      'GET',
      `/v1/connections/${connection.id}/choices/${field}`,
    )
    if (!listed.ok)
      return c.html(
        <ProblemPage
          view={view}
          title={view.t('integrations.chooseTitle', { system })}
          lead={view.t('integrations.checkFailed', { system })}
          detail={listed.problem?.detail ?? `HTTP ${listed.status}`}
        />,
        422,
      )
    return c.html(
      <ChoosePage
        view={view}
        system={system}
        connectionId={connection.id}
        field={field}
        current={connection.config[field]}
        items={listed.body.items}
      />,
    )
  }

  const connectionOf = async (c: Context<ConsoleEnv>) => {
    const got = await callApi<ConnectionItem>(
      deps.api,
      c.get('session'),
      'GET',
      `/v1/connections/${encodeURIComponent(c.req.param('connectionId') ?? '')}`,
    )
    return got.ok ? got.body : undefined
  }

  app.get('/:connectionId/choose', async (c) => {
    const connection = await connectionOf(c)
    return connection ? showChoices(c, connection, c.req.query('field')) : c.notFound()
  })

  app.post('/:connectionId/choose', async (c) => {
    const session = c.get('session')
    const connection = await connectionOf(c)
    if (!connection) return c.notFound()
    const form = await c.req.parseBody()
    const asked = typeof form.field === 'string' ? form.field : undefined
    const field = nextField(connection, await connectorOf(c, connection), asked)
    if (!field || asked !== field || typeof form.value !== 'string') return showChoices(c, connection)
    // The value must be one the system listed (its `set` may name other fields, e.g. BC's Entra tenant).
    const listed = await callApi(
      deps.api,
      session,
      'GET',
      `/v1/connections/${connection.id}/choices/${field}`,
    )
    const choice = listed.ok
      ? (listed.body.items as { value: string; set?: Record<string, unknown> }[]).find(
          (i) => i.value === form.value,
        )
      : undefined
    if (!choice) return showChoices(c, connection)
    const saved = await callApi(deps.api, session, 'PUT', `/v1/connections/${connection.id}`, {
      config: { ...choice.set, [field]: choice.value },
    })
    if (!saved.ok) return showChoices(c, connection)
    return showChoices(c, saved.body as ConnectionItem)
  })
  return app
}

import { Hono } from 'hono'
import { readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'
import { CsrfField, Layout } from '../layout.tsx'
import { consentRoutes } from './consent-routes.tsx'
import { type ConnectionItem, type ConnectorItem, pickedAfterSaving } from './integration-types.ts'
import { setupRoutes } from './setup-routes.tsx'

/** What a card says about a connection: connected, failing (with the system's words), or what is left to do. */
function stateOf(connection: ConnectionItem): { label: MessageKey; tone: string } {
  if (connection.status === 'ok') return { label: 'integrations.connected', tone: 'ok' }
  if (connection.status === 'error') return { label: 'integrations.failing', tone: 'bad' }
  if (connection.status === 'consented') return { label: 'integrations.consented', tone: 'warn' }
  if (connection.config.authMode === 'delegated') return { label: 'integrations.needsConsent', tone: 'warn' }
  return { label: 'integrations.unchecked', tone: 'idle' }
}

/** Since when a connection fails (or works), and when it last succeeded, in the tenant's time zone. */
function StatusTimes(props: { view: View; connection: ConnectionItem }) {
  const { view, connection } = props
  const since =
    connection.statusSince && connection.status === 'error'
      ? view.t('integrations.failingSince', { time: view.date(connection.statusSince) })
      : connection.statusSince && connection.status === 'ok'
        ? view.t('integrations.connectedSince', { time: view.date(connection.statusSince) })
        : undefined
  const last = connection.lastSuccessAt
    ? view.t('integrations.lastSuccess', { time: view.date(connection.lastSuccessAt) })
    : connection.status === 'error'
      ? view.t('integrations.neverSucceeded')
      : undefined
  if (!since && !last) return null
  return (
    <p class="muted">
      {since}
      {since && last ? ' · ' : null}
      {last}
    </p>
  )
}

function ConsentButton(props: { view: View; connector: ConnectorItem; label: MessageKey }) {
  return (
    <form method="post" action={`/console/integrations/${props.connector.id}/consent`} class="inline">
      <CsrfField view={props.view} />
      <button type="submit">{props.view.t(props.label)}</button>
    </form>
  )
}

function ConnectorCard(props: { view: View; connector: ConnectorItem; connection?: ConnectionItem }) {
  const { view, connector, connection } = props
  // A field still to pick from the system's list (MISA's branch): working credentials are not enough.
  const toPick = connection
    ? pickedAfterSaving(connector).find((field) =>
        [undefined, null, ''].includes(connection.config[field] as any),
      )
    : undefined
  const state = !connection
    ? { label: 'integrations.notConnected' as const, tone: 'idle' }
    : toPick && connection.status !== 'error'
      ? { label: 'integrations.unfinished' as const, tone: 'warn' }
      : stateOf(connection)
  const delegated = connection?.config.authMode === 'delegated'
  return (
    <section class="card" aria-labelledby={`connector-${connector.id}`}>
      <h2 id={`connector-${connector.id}`}>{connector.title}</h2>
      <p>
        <span class={`state state-${state.tone}`}>{view.t(state.label)}</span>
      </p>
      {connection ? <StatusTimes view={view} connection={connection} /> : null}
      {connection?.status === 'error' && connection.statusMessage ? (
        <p class="exact">{connection.statusMessage}</p>
      ) : null}
      <div class="actions">
        {!connection && connector.consent ? (
          <ConsentButton view={view} connector={connector} label="integrations.connectConsent" />
        ) : null}
        {connection && delegated && connection.status !== 'consented' ? (
          <ConsentButton
            view={view}
            connector={connector}
            label={connection.status === 'ok' ? 'integrations.reconnect' : 'integrations.connectConsent'}
          />
        ) : null}
        {connection && toPick ? (
          <a class="button" href={`/console/integrations/${connection.id}/choose`}>
            {view.t('integrations.pickToFinish', { field: toPick })}
          </a>
        ) : null}
        {connection?.status === 'consented' ? (
          <a class="button" href={`/console/integrations/${connection.id}/choose`}>
            {view.t('integrations.chooseSetup')}
          </a>
        ) : null}
        {connection && connection.status !== 'consented' ? (
          <form method="post" action={`/console/integrations/${connection.id}/check`} class="inline">
            <CsrfField view={view} />
            <button type="submit" class="secondary">
              {view.t('integrations.check')}
            </button>
          </form>
        ) : null}
        {!connection && !connector.consent ? (
          <a class="button" href={`/console/integrations/${connector.id}/setup`}>
            {view.t('integrations.connect')}
          </a>
        ) : (
          <a
            class={connector.consent ? 'muted' : 'button secondary'}
            href={`/console/integrations/${connector.id}/setup`}
          >
            {view.t(connector.consent ? 'integrations.appRegistration' : 'integrations.edit')}
          </a>
        )}
      </div>
    </section>
  )
}

/**
 * Integrations: a card per connector with the tenant's connection to it (the first one, by name) and
 * its state; connect by browser consent or by a form generated from the connector's config schema.
 */
export function integrationsPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  app.get('/', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const [connectors, connections] = await Promise.all([
      readApi<{ items: ConnectorItem[] }>(deps.api, session, '/v1/connectors'),
      readApi<{ items: ConnectionItem[] }>(deps.api, session, '/v1/connections'),
    ])
    return c.html(
      <Layout view={view} title={view.t('integrations.title')}>
        <p>{view.t('integrations.intro')}</p>
        <div class="cards">
          {connectors.items.map((connector) => (
            <ConnectorCard
              view={view}
              connector={connector}
              connection={connections.items.find((x) => x.connector === connector.id)}
            />
          ))}
        </div>
      </Layout>,
    )
  })
  app.route('/', consentRoutes(deps))
  app.route('/', setupRoutes(deps))
  return app
}

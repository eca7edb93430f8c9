import { Hono } from 'hono'
import { readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'
import { Layout } from '../layout.tsx'

interface ConnectorItem {
  id: string
  title: string
  consent: boolean
}

interface ConnectionItem {
  id: string
  name: string
  connector: string
  status: string
  statusMessage: string | null
}

const STATES: Record<string, { label: MessageKey; tone: string }> = {
  ok: { label: 'integrations.connected', tone: 'ok' },
  failing: { label: 'integrations.failing', tone: 'bad' },
  error: { label: 'integrations.failing', tone: 'bad' },
  consent: { label: 'integrations.needsConsent', tone: 'warn' },
}

function ConnectionState(props: { view: View; connection: ConnectionItem }) {
  const state = STATES[props.connection.status] ?? { label: 'integrations.unchecked', tone: 'idle' }
  return <span class={`state state-${state.tone}`}>{props.view.t(state.label)}</span>
}

/** Integrations: a card per connector of the deployment with the tenant's connections to it and their state. */
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
          {connectors.items.map((connector) => {
            const mine = connections.items.filter((x) => x.connector === connector.id)
            return (
              <section class="card" aria-labelledby={`connector-${connector.id}`}>
                <h2 id={`connector-${connector.id}`}>{connector.title}</h2>
                {mine.length === 0 ? (
                  <p>
                    <span class="state state-idle">{view.t('integrations.notConnected')}</span>
                  </p>
                ) : (
                  mine.map((connection) => (
                    <div>
                      <h3>{view.t('integrations.connection', { name: connection.name })}</h3>
                      <ConnectionState view={view} connection={connection} />
                      {connection.statusMessage ? <p class="exact">{connection.statusMessage}</p> : null}
                    </div>
                  ))
                )}
              </section>
            )
          })}
        </div>
      </Layout>,
    )
  })
  return app
}

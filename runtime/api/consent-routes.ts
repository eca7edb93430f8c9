import { randomBytes } from 'node:crypto'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import { getConnection, setConnectionStatus } from '../store/connections-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

/** The OAuth state of a consent: the connection's id, a dot, and 192 random bits. */
export function consentState(connectionId: string): string {
  return `${connectionId}.${randomBytes(24).toString('base64url')}`
}

/**
 * Tenant routes for connectors a person authorizes in the browser (BC's delegated consent) and for
 * config values picked from the remote system's own lists (environments, companies).
 */
export function consentRoutes(deps: ApiDeps, contexts: ConnectionContexts): ApiRoute[] {
  const live = async (tenantId: string, id: string) => {
    const row = await getConnection(deps.db, tenantId, id)
    if (!row) throw notFound('connection', id)
    return contexts.get(row.id)
  }
  /** A connector's failure as a 422 with its own words (secrets and markup stripped). */
  const refused = (error: unknown, secrets: readonly string[], pointer: string) => {
    if (!isConnectorError(error)) throw error
    const message = remoteText(error.message, secrets, 1000)
    return new ApiProblem(422, `connector-${error.kind}`, message, [{ pointer, detail: message }])
  }
  return [
    {
      method: 'post',
      path: '/v1/connections/:connectionId/consent',
      operationId: 'beginConsent',
      summary: 'Start the browser consent of a connection (OAuth authorization code + PKCE)',
      tag: 'connections',
      access: 'tenant',
      body: 'ConsentBegin',
      responses: { 200: { description: 'The consent URL to send the browser to', schema: 'ConsentStart' } },
      handle: async (c, { tenantId, params, body }) => {
        const connection = await live(tenantId, params.connectionId!)
        const auth = connection.connector.delegatedAuth
        if (!auth)
          throw new ApiProblem(
            422,
            'no-consent',
            `connector ${connection.connector.id} has no browser consent; save its credentials instead`,
          )
        if ((connection.ctx.config as { authMode?: string }).authMode !== 'delegated')
          throw new ApiProblem(
            409,
            'not-delegated',
            'this connection authenticates as an app (client credentials); set authMode to "delegated" first',
          )
        const state = consentState(connection.connectionId)
        const { redirectUri } = body as { redirectUri: string }
        try {
          const { url } = await auth.begin(connection.ctx, { redirectUri, state })
          return c.json({ url, state })
        } catch (error) {
          throw refused(error, connection.secrets, '/redirectUri')
        }
      },
    },
    {
      method: 'post',
      path: '/v1/connections/:connectionId/consent/complete',
      operationId: 'completeConsent',
      summary: 'Finish a consent: exchange the callback’s code and store the refresh token (sealed)',
      tag: 'connections',
      access: 'tenant',
      body: 'ConsentComplete',
      responses: { 200: { description: 'The connection can now authenticate', schema: 'ConnectionCheck' } },
      handle: async (c, { tenantId, params, body }) => {
        const connection = await live(tenantId, params.connectionId!)
        const auth = connection.connector.delegatedAuth
        if (!auth)
          throw new ApiProblem(
            422,
            'no-consent',
            `connector ${connection.connector.id} has no browser consent`,
          )
        const callbackUrl = new URL((body as { callbackUrl: string }).callbackUrl)
        const state = callbackUrl.searchParams.get('state') ?? ''
        const denied = callbackUrl.searchParams.get('error')
        if (denied) {
          const why = remoteText(
            callbackUrl.searchParams.get('error_description') ?? denied,
            connection.secrets,
            1000,
          )
          await setConnectionStatus(deps.db, connection.connectionId, 'error', `consent refused: ${why}`)
          throw new ApiProblem(422, 'consent-refused', why, [{ pointer: '/callbackUrl', detail: why }])
        }
        if (!state.startsWith(`${connection.connectionId}.`))
          throw new ApiProblem(
            422,
            'consent-state',
            'the callback belongs to another connection or sign-in',
            [{ pointer: '/callbackUrl', detail: 'its state does not name this connection' }],
          )
        try {
          await auth.complete(connection.ctx, { callbackUrl: callbackUrl.href, state })
        } catch (error) {
          throw refused(error, connection.secrets, '/callbackUrl')
        }
        contexts.invalidate(connection.connectionId)
        await setConnectionStatus(deps.db, connection.connectionId, 'consented', null)
        return c.json({ ok: true, status: 'consented', message: 'consent stored' })
      },
    },
    {
      method: 'get',
      path: '/v1/connections/:connectionId/choices/:field',
      operationId: 'listConfigChoices',
      summary:
        'The values a config field may take, listed by the remote system (e.g. BC environments, companies)',
      tag: 'connections',
      access: 'tenant',
      params: { field: 'A config field the connector lists values for' },
      responses: { 200: { description: 'The choices', schema: 'ConfigChoiceList' } },
      handle: async (c, { tenantId, params }) => {
        const connection = await live(tenantId, params.connectionId!)
        const choices = connection.connector.configChoices
        const field = params.field!
        if (!choices?.fields.includes(field))
          throw new ApiProblem(
            404,
            'no-choices',
            `connector ${connection.connector.id} lists no values for "${field}"`,
          )
        try {
          return c.json({ field, items: await choices.list(connection.ctx, field) })
        } catch (error) {
          throw refused(error, connection.secrets, `/config/${field}`)
        }
      },
    },
  ]
}

import type { Connector } from '../../core/connector/connector.ts'
import { isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import { endpointFields } from '../../core/connector/endpoint-fields.ts'
import { remoteText } from '../../core/connector/remote-text.ts'
import { egressPolicyFromEnv } from '../egress/egress-policy.ts'
import type { ConnectionContexts, LiveConnection } from '../engine/connection-contexts.ts'
import { lastDeliveredByConnection } from '../store/connection-activity-queries.ts'
import {
  getConnection,
  listConnections,
  loadConnectionConfig,
  saveConnection,
  secretFields,
  setConnectionStatus,
  splitSecrets,
} from '../store/connections-store.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute, QueryParam } from './api-route.ts'
import { connectionView } from './connection-view.ts'
import { ApiProblem, notFound } from './problem.ts'
import { connectorOr422, validateConnectionConfig } from './validate-connection-config.ts'

const scrub = (value: Record<string, unknown>, secrets: readonly string[]) =>
  JSON.parse(redactSecrets(JSON.stringify(value), secrets)) as Record<string, unknown>

/**
 * Stored secrets were entered for the endpoints they go to: an update that moves an endpoint (a base
 * URL, an authority, a region) must carry every stored secret again, or a tenant could send the
 * stored client secret to a host of its choosing with the next check.
 */
function requireSecretsOnMove(
  connector: Connector,
  stored: Record<string, unknown>,
  update: Record<string, unknown>,
): void {
  const moved = endpointFields(connector.configSchema).filter(
    (f) => f in update && JSON.stringify(update[f]) !== JSON.stringify(stored[f]),
  )
  if (!moved.length) return
  const missing = secretFields(connector.configSchema).filter(
    (f) => stored[f] !== undefined && !(f in update),
  )
  if (!missing.length) return
  const why = `${moved.join(' and ')} changed; the stored secrets are not sent to a new endpoint`
  throw new ApiProblem(
    422,
    'secrets-required',
    `re-enter ${missing.join(' and ')}: ${why}`,
    missing.map((f) => ({ pointer: `/config/${f}`, detail: `re-enter ${f}: ${why}` })),
  )
}

/** How long a connection check may take altogether, beyond each request's own timeouts. */
const CHECK_DEADLINE_MS = 60_000

const checkFirstQuery: Record<string, QueryParam> = {
  check: {
    description:
      'Check the settings against the system before saving: when the check fails, nothing is saved and the answer is a 422 whose detail is the system’s exact error',
    schema: { type: 'boolean', default: false },
  },
}

/** What a check's failure says: the connector's own words, bounded and scrubbed of secrets. */
function checkFailure(error: unknown, deadline: AbortSignal, secrets: readonly string[]) {
  const kind = isConnectorError(error) ? error.kind : deadline.aborted ? 'transient' : 'unknown'
  const message = deadline.aborted
    ? `the check did not finish within ${CHECK_DEADLINE_MS / 1000} s`
    : // Bounded and stripped of markup: the message may quote a remote body.
      remoteText(error instanceof Error ? error.message : String(error), secrets, 1000)
  return { kind, message }
}

/** Runs a connector's check on a live or unsaved connection, within the check deadline. */
async function runCheck(live: LiveConnection) {
  // Its own memo: the check proves the credentials now, not a token cached from earlier.
  const deadline = AbortSignal.timeout(CHECK_DEADLINE_MS)
  const signal = live.ctx.signal ? AbortSignal.any([live.ctx.signal, deadline]) : deadline
  try {
    const result = await live.connector.check({ ...live.ctx, memo: new Map(), signal })
    return { ok: true as const, details: scrub(result.details ?? {}, live.secrets) }
  } catch (error) {
    return { ok: false as const, ...checkFailure(error, deadline, live.secrets) }
  }
}

/** Tenant routes: connections (secrets sealed at rest, never shown) and their check. */
export function connectionsRoutes(deps: ApiDeps, contexts: ConnectionContexts): ApiRoute[] {
  const egress = deps.egress ?? egressPolicyFromEnv()
  const owned = async (tenantId: string, id: string) => {
    const row = await getConnection(deps.db, tenantId, id)
    if (!row) throw notFound('connection', id)
    return row
  }
  /** With `?check=true`: the system must accept the settings before anything is saved (422 if not). */
  const checkFirst = async (connector: Connector, config: Record<string, unknown>) => {
    const secrets = Object.values(splitSecrets(connector.configSchema, config).secrets).filter(
      (v): v is string => typeof v === 'string',
    )
    const outcome = await runCheck(contexts.probe(connector, config, secrets))
    if (!outcome.ok) throw new ApiProblem(422, 'check-failed', outcome.message, [{ detail: outcome.message }])
  }
  return [
    {
      method: 'get',
      path: '/v1/connections',
      operationId: 'listConnections',
      summary: 'List connections',
      tag: 'connections',
      access: 'tenant',
      responses: { 200: { description: 'Connections by name, secrets masked', schema: 'ConnectionList' } },
      handle: async (c, { tenantId }) => {
        const [rows, delivered] = await Promise.all([
          listConnections(deps.db, tenantId),
          lastDeliveredByConnection(deps.db, tenantId),
        ])
        return c.json({
          items: await Promise.all(
            rows.map((r) => connectionView(deps.db, deps.box, r, delivered.get(r.id))),
          ),
        })
      },
    },
    {
      method: 'post',
      path: '/v1/connections',
      operationId: 'createConnection',
      summary: "Create a connection; config is checked against the connector's configSchema",
      tag: 'connections',
      access: 'tenant',
      body: 'ConnectionCreate',
      query: checkFirstQuery,
      responses: {
        201: { description: 'The connection, secrets masked', schema: 'Connection' },
        422: { description: 'Invalid config, or (with check) the system refused it', schema: 'Problem' },
      },
      handle: async (c, { tenantId, body, query }) => {
        const input = body as { name: string; connector: string; config: Record<string, unknown> }
        const connector = connectorOr422(deps.registry, input.connector, '/connector')
        validateConnectionConfig(connector, input.config, egress)
        const taken = (await listConnections(deps.db, tenantId)).some((r) => r.name === input.name)
        if (taken)
          throw new ApiProblem(
            409,
            'conflict',
            `a connection named "${input.name}" already exists; update it instead`,
          )
        if (query.check === true) await checkFirst(connector, input.config)
        const row = await saveConnection(deps.db, deps.box, {
          tenantId,
          ...input,
          schema: connector.configSchema,
        })
        if (query.check === true) await setConnectionStatus(deps.db, row.id, 'ok', null)
        return c.json(await connectionView(deps.db, deps.box, await owned(tenantId, row.id)), 201)
      },
    },
    {
      method: 'get',
      path: '/v1/connections/:connectionId',
      operationId: 'getConnection',
      summary: 'Get a connection',
      tag: 'connections',
      access: 'tenant',
      responses: { 200: { description: 'The connection, secrets masked', schema: 'Connection' } },
      handle: async (c, { tenantId, params }) =>
        c.json(await connectionView(deps.db, deps.box, await owned(tenantId, params.connectionId!))),
    },
    {
      method: 'put',
      path: '/v1/connections/:connectionId',
      operationId: 'updateConnection',
      summary:
        'Update a connection’s config (secrets left out keep their stored values, unless an endpoint changes: then they must be sent again)',
      tag: 'connections',
      access: 'tenant',
      body: 'ConnectionUpdate',
      query: checkFirstQuery,
      responses: {
        200: { description: 'The connection, secrets masked', schema: 'Connection' },
        422: { description: 'Invalid config, or (with check) the system refused it', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params, body, query }) => {
        const row = await owned(tenantId, params.connectionId!)
        const connector = connectorOr422(deps.registry, row.connector, '/connector')
        const stored = await loadConnectionConfig(deps.db, deps.box, row.id)
        const update = (body as { config: Record<string, unknown> }).config
        const config = { ...stored.config, ...update }
        validateConnectionConfig(connector, config, egress)
        requireSecretsOnMove(connector, stored.config, update)
        if (query.check === true) await checkFirst(connector, config)
        const saved = await saveConnection(deps.db, deps.box, {
          tenantId,
          name: row.name,
          connector: row.connector,
          config,
          schema: connector.configSchema,
        })
        contexts.invalidate(row.id)
        if (query.check === true) await setConnectionStatus(deps.db, row.id, 'ok', null)
        return c.json(await connectionView(deps.db, deps.box, await owned(tenantId, saved.id)))
      },
    },
    {
      method: 'post',
      path: '/v1/connections/:connectionId/check',
      operationId: 'checkConnection',
      summary: 'Prove the credentials and permissions against the remote system now',
      tag: 'connections',
      access: 'tenant',
      responses: {
        200: {
          description: 'The outcome (ok false carries the connector’s reason)',
          schema: 'ConnectionCheck',
        },
      },
      handle: async (c, { tenantId, params }) => {
        const row = await owned(tenantId, params.connectionId!)
        contexts.invalidate(row.id)
        const outcome = await runCheck(await contexts.get(row.id))
        if (outcome.ok) {
          await setConnectionStatus(deps.db, row.id, 'ok', null)
          return c.json({ ok: true, status: 'ok', message: 'the connection works', details: outcome.details })
        }
        await setConnectionStatus(deps.db, row.id, 'error', outcome.message)
        return c.json({ ok: false, status: 'error', kind: outcome.kind, message: outcome.message })
      },
    },
  ]
}

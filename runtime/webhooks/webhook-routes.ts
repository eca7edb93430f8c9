import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { PgBoss } from 'pg-boss'
import type { InboundRequest, WebhookEvent } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import { inputProblems } from '../api/input-problems.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { type FlowProgram, readMany } from '../engine/flow-program.ts'
import { enqueueWebhookDelivery } from '../queue/enqueue-webhook-delivery.ts'
import { connectionSubscriptions } from '../queue/subscriptions.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { getConnection } from '../store/connections-store.ts'
import { insertInboxDelivery } from '../store/webhook-inbox-store.ts'
import { flowsListening } from './webhook-worker.ts'

type Programs = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>

import { scrubDelivery } from './scrub-delivery.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Deliveries larger than this are refused with 413 (notifications are small; documents are fetched). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024

function problem(status: number, title: string, detail: string, instance: string) {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, instance }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...NOT_A_PAGE },
  })
}

/** Whatever a connector answers, a browser must never run it: its body may echo the request. */
const NOT_A_PAGE = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
}

/**
 * A connector's handshake or reply as an HTTP response. BC's handshake echoes `validationToken` from
 * the query string, so the body is the caller's text: it keeps a JSON or plain-text type and
 * anything else becomes text/plain, with nosniff and a CSP that forbids scripts either way.
 */
function connectorAnswer(answer: { status: number; body?: string; headers?: Record<string, string> }) {
  const headers = new Headers(answer.headers)
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && type !== 'text/plain')
    headers.set('content-type', 'text/plain; charset=utf-8')
  for (const [name, value] of Object.entries(NOT_A_PAGE)) headers.set(name, value)
  return new Response(answer.body ?? '', { status: answer.status, headers })
}

/**
 * What the listening flows map a delivery's pushed records to: one flow's records (one record → an
 * object, several → a list), or flow name → that when several flows listen. Undefined when none do.
 */
async function mappedReply(
  deps: EngineDeps,
  programs: Programs,
  connectionId: string,
  events: WebhookEvent[],
) {
  const replies: [string, unknown][] = []
  for (const event of events) {
    if (event.type !== 'records') continue
    for (const flow of await flowsListening(deps, connectionId, event.stream)) {
      const program = await programs(flow.tenantId, flow.id, flow.currentVersion!)
      const lookup = deps.lookups.resolver(program)
      // The delivery's records go to the mapping pool together: a hop per step, not per record.
      const keys = await readMany(program.identityKey, event.records)
      const outcomes = await program.mapMany(
        event.records.map((source, i) => ({ source, recordKey: String(keys[i] ?? '') })),
        lookup,
      )
      const mapped = outcomes.map((o) => {
        if (o.skipped) return null
        if (!o.ok) throw o.error
        return o.value
      })
      replies.push([program.name, mapped.length === 1 ? mapped[0] : mapped])
    }
  }
  if (replies.length === 0) return undefined
  return replies.length === 1 ? replies[0]![1] : Object.fromEntries(replies)
}

/**
 * The webhook ingress `/hooks/:tenant/:connection`: verifies the raw body with the connector, answers
 * handshakes, stores the delivery and its events in the inbox and enqueues it in one transaction,
 * and answers at once; the work happens in the webhook worker. A connector that asks for it
 * (`replyMapped`) answers pushed records with what the listening flow maps them to.
 */
export function webhookRoutes(deps: EngineDeps & { boss: PgBoss; box: SecretBox }, programs?: Programs) {
  return new Hono().post(
    '/hooks/:tenant/:connection',
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT,
      onError: (c) =>
        problem(
          413,
          'Payload Too Large',
          `webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes`,
          c.req.path,
        ),
    }),
    async (c) => {
      const { tenant, connection } = c.req.param()
      const notFound = () =>
        problem(404, 'Not Found', `no webhook endpoint for connection ${connection}`, c.req.path)
      if (!UUID.test(tenant) || !UUID.test(connection)) return notFound()
      const row = await getConnection(deps.db, tenant, connection)
      if (!row) return notFound()
      const live = await deps.contexts.get(row.id)
      const webhooks = live.connector.webhooks
      if (!webhooks) return notFound()
      const body = new Uint8Array(await c.req.arrayBuffer())
      const headers: Record<string, string> = {}
      c.req.raw.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value
      })
      const request: InboundRequest = { method: c.req.method, url: c.req.url, headers, body }
      let events: WebhookEvent[]
      const subscriptions = await connectionSubscriptions({ ...deps }, row.id)
      try {
        const verified = await webhooks.verify(live.ctx, request, subscriptions)
        if (verified.handshake) return connectorAnswer(verified.handshake)
        events = await webhooks.parse(live.ctx, request)
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'auth')
          return problem(401, 'Unauthorized', error.message, c.req.path)
        if (isConnectorError(error)) return problem(400, 'Bad Request', error.message, c.req.path)
        throw error
      }
      const dedupeKey =
        events.every((e) => e.dedupeKey) && events.length > 0
          ? events.map((e) => e.dedupeKey).join('|')
          : null
      // What the remote sent ends up in jsonb and text columns: refuse what PostgreSQL cannot hold.
      const unstorable = [...inputProblems(events, '/events'), ...inputProblems(dedupeKey, '/dedupeKey')]
      if (unstorable.length > 0)
        return problem(
          400,
          'Bad Request',
          `the delivery holds text Ferry cannot store (${unstorable[0]!.pointer} ${unstorable[0]!.detail})`,
          c.req.path,
        )
      const kept = scrubDelivery({ headers, body }, [...live.secrets, ...subscriptions.map((s) => s.secret)])
      await deps.db.transaction().execute(async (trx) => {
        const inserted = await insertInboxDelivery(trx, {
          tenantId: tenant,
          connectionId: row.id,
          dedupeKey,
          headers: kept.headers,
          body: kept.body,
          events,
        })
        if (inserted) await enqueueWebhookDelivery(deps.boss, trx, inserted)
      })
      if (webhooks.replyMapped && programs) {
        try {
          const mapped = await mappedReply(deps, programs, row.id, events)
          if (mapped !== undefined)
            return connectorAnswer({
              status: 200,
              body: JSON.stringify(mapped),
              headers: { 'content-type': 'application/json' },
            })
        } catch (error) {
          // Stored all the same: the delivery will fail with this message too, and can be replayed.
          const message = error instanceof Error ? error.message : String(error)
          return problem(
            422,
            'Unprocessable Content',
            `the flow could not map the payload: ${message}`,
            c.req.path,
          )
        }
      }
      return connectorAnswer(webhooks.reply?.(events) ?? { status: 202 })
    },
  )
}

import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { fromKysely, type PgBoss } from 'pg-boss'
import type { InboundRequest, WebhookEvent } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { QUEUES } from '../queue/queues.ts'
import { connectionSubscriptions } from '../queue/subscriptions.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { getConnection } from '../store/connections-store.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Deliveries larger than this are refused with 413 (notifications are small; documents are fetched). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024

function problem(status: number, title: string, detail: string, instance: string) {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, instance }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  })
}

/**
 * The webhook ingress `/hooks/:tenant/:connection`: verifies the raw body with the connector, answers
 * handshakes, stores the delivery and its events in the inbox and enqueues it in one transaction,
 * and answers at once; the work happens in the webhook worker.
 */
export function webhookRoutes(deps: EngineDeps & { boss: PgBoss; box: SecretBox }) {
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
      try {
        const verified = await webhooks.verify(
          live.ctx,
          request,
          await connectionSubscriptions({ ...deps }, row.id),
        )
        if (verified.handshake) {
          const h = verified.handshake
          return new Response(h.body ?? '', { status: h.status, headers: h.headers })
        }
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
      const safeHeaders = Object.fromEntries(
        Object.entries(headers).filter(([k]) => k !== 'authorization' && k !== 'cookie'),
      )
      await deps.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('webhookInbox')
          .values({
            tenantId: tenant,
            connectionId: row.id,
            dedupeKey,
            headers: JSON.stringify(safeHeaders),
            body: Buffer.from(body),
            events: JSON.stringify(events),
          })
          .onConflict((oc) =>
            oc.columns(['connectionId', 'dedupeKey']).where('dedupeKey', 'is not', null).doNothing(),
          )
          .returning('id')
          .executeTakeFirst()
        if (inserted) await deps.boss.send(QUEUES.webhook, { inboxId: inserted.id }, { db: fromKysely(trx) })
      })
      const reply = webhooks.reply?.(events) ?? { status: 202 }
      return new Response(reply.body ?? '', { status: reply.status, headers: reply.headers })
    },
  )
}

/**
 * Basware push notifications. Subscriptions are created, listed and deleted through
 * `/v1/subscriptions`; Basware tests a new subscription with a `ConnectionTest` notification that must
 * be answered 200. Deliveries are signed (see signature.ts) and carry no invoice data: each becomes
 * "fetch document X" for the accountingDocuments stream, de-duplicated on `taskId`.
 */
import { randomBytes } from 'node:crypto'
import type {
  ConnectorContext,
  InboundRequest,
  Subscription,
  WebhookEvent,
  Webhooks,
} from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../core/connector/json-answer.ts'
import { callApi } from './call-api.ts'
import type { Config } from './config.ts'
import { verifySignature } from './signature.ts'

/** The notification body Basware posts (NotificationPayload). */
interface Notification {
  taskId?: string
  taskStatus?: string
  taskType?: string
  taskSubType?: string
  documentId?: string
}

/** A subscription as Basware stores it (Subscription-Output). */
export interface BaswareSubscription {
  taskType: string
  taskSubType?: string
  subscriptionType: string
  notificationWebhookURL: string
  webhookAuthenticationToken: string
  lastUpdated?: string
}

const SIGNATURE_HEADER = 'x-bwapi-signature-256'

function header(req: InboundRequest, name: string): string | undefined {
  const entry = Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)
  return entry?.[1]
}

function parseNotification(body: Uint8Array): Notification {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Notification) : {}
  } catch {
    return {}
  }
}

/** True for the accounting-document task type, tolerating the "AccoutingDocuments" typo of Basware's example. */
function isAccountingDocuments(taskType: string | undefined): boolean {
  return /^accou?n?tingdocuments$/i.test(taskType ?? '')
}

/** `accountingDocuments.waitingForTransfer` → `WaitingForTransfer` (default for the plain stream name). */
function subTypeOf(stream: string): string {
  const suffix = stream.split('.')[1]
  return suffix ? suffix[0]!.toUpperCase() + suffix.slice(1) : 'WaitingForTransfer'
}

function toSubscription(stored: BaswareSubscription, stream: string): Subscription {
  return {
    id: `${stored.taskType}/${stored.taskSubType ?? 'All'}/${stored.lastUpdated ?? ''}`,
    stream,
    secret: stored.webhookAuthenticationToken,
    data: {
      taskType: stored.taskType,
      taskSubType: stored.taskSubType,
      lastUpdated: stored.lastUpdated,
      notificationWebhookURL: stored.notificationWebhookURL,
    },
  }
}

/** Lists the tenant's subscriptions (empty when Basware answers 404). */
export async function listSubscriptions(
  ctx: ConnectorContext<Config>,
  taskType = 'AccountingDocuments',
): Promise<BaswareSubscription[]> {
  const res = await callApi(ctx, {
    method: 'GET',
    path: '/v1/subscriptions',
    query: { taskType },
    expect: [404],
  })
  if (res.status === 404) return []
  const body = jsonAnswer<{ subscriptions?: unknown } | null>(
    res.text,
    "Basware's answer to GET /v1/subscriptions",
  )
  const list = body?.subscriptions ?? []
  if (!Array.isArray(list))
    throw new ConnectorError(
      'transient',
      "Basware's answer to GET /v1/subscriptions is not a list of subscriptions.",
    )
  return list as BaswareSubscription[]
}

/** The Basware webhooks of the connector. */
export const webhooks: Webhooks<Config> = {
  streams: [
    'accountingDocuments',
    'accountingDocuments.waitingForTransfer',
    'accountingDocuments.waitingForPrebook',
  ],

  async verify(ctx, req, subscriptions) {
    const notification = parseNotification(req.body)
    // The ConnectionTest arrives while the subscription is being created (before its secret is
    // stored) and triggers nothing, so it is answered without a signature check — and, being
    // unsigned, with a fixed body: nothing of the request is echoed.
    if (notification.taskType === 'ConnectionTest')
      return {
        handshake: {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' },
          body: '{"received":true}',
        },
      }
    const signature = header(req, SIGNATURE_HEADER)
    if (!signature)
      throw new ConnectorError('auth', 'Basware notification without an X-BWAPI-Signature-256 header.')
    const secrets = subscriptions.map((s) => s.secret).filter((s): s is string => !!s)
    if (secrets.length === 0)
      throw new ConnectorError(
        'auth',
        'No Basware subscription secret is known for this connection; cannot verify the notification.',
      )
    const encoding = ctx.config.signatureEncoding ?? 'auto'
    if (!secrets.some((secret) => verifySignature(req.body, signature, secret, encoding))) {
      throw new ConnectorError(
        'auth',
        `Basware notification signature does not match any subscription (accepted encoding: ${encoding}).`,
      )
    }
    return {}
  },

  async parse(_ctx, req): Promise<WebhookEvent[]> {
    const n = parseNotification(req.body)
    if (!isAccountingDocuments(n.taskType) || !n.documentId) return []
    return [
      {
        type: 'changed',
        stream: 'accountingDocuments',
        ids: [n.documentId],
        dedupeKey: n.taskId ?? `${n.documentId}:${n.taskSubType ?? ''}`,
      },
    ]
  },

  reply: () => ({ status: 200 }),

  async subscribe(ctx, { stream, notificationUrl }) {
    const body = [
      {
        taskType: 'AccountingDocuments',
        taskSubType: subTypeOf(stream),
        subscriptionType: 'Webhook',
        notificationWebhookURL: notificationUrl,
        webhookAuthenticationToken: randomBytes(32).toString('base64url'),
      },
    ]
    const res = await callApi(ctx, { method: 'POST', path: '/v1/subscriptions', body })
    const answer = jsonAnswer<unknown>(res.text, "Basware's answer to POST /v1/subscriptions")
    const stored = Array.isArray(answer) ? (answer[0] as BaswareSubscription | undefined) : undefined
    if (!stored) throw new ConnectorError('transient', 'Basware accepted the subscription but returned none.')
    return toSubscription({ ...body[0]!, ...stored }, stream)
  },

  async unsubscribe(ctx, sub) {
    const data = sub.data as { taskType?: string; taskSubType?: string; lastUpdated?: string } | undefined
    if (!data?.lastUpdated)
      throw new ConnectorError(
        'config',
        `Subscription ${sub.id} has no lastUpdated; Basware deletes subscriptions only by time.`,
      )
    // Basware deletes every matching subscription updated *after* the instant: aim just before ours.
    const before = new Date(Date.parse(data.lastUpdated) - 1).toISOString()
    await callApi(ctx, {
      method: 'DELETE',
      path: '/v1/subscriptions',
      query: {
        lastUpdated: before,
        taskType: data.taskType ?? 'AccountingDocuments',
        taskSubType: data.taskSubType ?? 'All',
      },
    })
  },
}

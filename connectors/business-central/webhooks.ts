/**
 * BC webhooks. Subscriptions live at environment level (`{apiRoot}/subscriptions`), expire after
 * three days and repeat the `validationToken` handshake on create and on every renewal. Deliveries
 * carry no signature: each entry echoes the subscription's `clientState`, which is the secret.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type {
  ConnectorContext,
  InboundRequest,
  Subscription,
  WebhookEvent,
  Webhooks,
} from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { callApi } from './call-api.ts'
import { companyUrl } from './company-url.ts'
import { apiRoot, type Config } from './config.ts'
import { quoteString } from './odata-literal.ts'

/** Entity sets BC documents as subscribable, among Ferry's streams. */
export const subscribableStreams = [
  'vendors',
  'purchaseInvoices',
  'accounts',
  'dimensions',
  'generalLedgerEntries',
  'paymentTerms',
  'currencies',
] as const

/** One entry of a BC notification body. */
interface Notification {
  subscriptionId?: string
  clientState?: string
  resource?: string
  changeType?: string
  lastModifiedDateTime?: string
}

function parseBody(body: Uint8Array): Notification[] {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { value?: unknown }
    return Array.isArray(parsed.value) ? (parsed.value as Notification[]) : []
  } catch {
    return []
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function subscriptionUrl(ctx: ConnectorContext<Config>, id: string): string {
  return `${apiRoot(ctx.config)}/subscriptions(${encodeURIComponent(quoteString(id))})`
}

function toSubscription(stream: string, body: Record<string, unknown>, secret?: string): Subscription {
  return {
    id: String(body.subscriptionId),
    stream,
    expiresAt: body.expirationDateTime as string,
    secret: secret ?? (body.clientState as string),
    data: { etag: body['@odata.etag'], resource: body.resource, notificationUrl: body.notificationUrl },
  }
}

/** `api/v2.0/companies(x)/purchaseInvoices(id)` → `{ stream, id }`; collection URLs have no id. */
export function parseResource(resource: string): { stream?: string; id?: string } {
  const path = decodeURIComponent(resource).split('?')[0] ?? ''
  const match = /companies\([^)]*\)\/([A-Za-z]+)(?:\(([^)]*)\))?/.exec(path)
  return { stream: match?.[1], id: match?.[2]?.replace(/'/g, '') }
}

/** Subscriptions, handshake, clientState verification and notification parsing. */
export const webhooks: Webhooks<Config> = {
  streams: subscribableStreams,
  renewBeforeMs: 24 * 60 * 60 * 1000,

  async verify(_ctx, req: InboundRequest, subscriptions: Subscription[]) {
    const token = new URL(req.url).searchParams.get('validationToken')
    if (token !== null) {
      return { handshake: { status: 200, headers: { 'content-type': 'text/plain' }, body: token } }
    }
    const entries = parseBody(req.body)
    if (entries.length === 0) throw new ConnectorError('auth', 'The webhook body is not a BC notification.')
    for (const entry of entries) {
      const sub = subscriptions.find((s) => s.id === entry.subscriptionId)
      if (
        !sub?.secret ||
        typeof entry.clientState !== 'string' ||
        !sameSecret(sub.secret, entry.clientState)
      ) {
        throw new ConnectorError(
          'auth',
          'A BC notification carried an unknown subscription or a wrong clientState.',
        )
      }
    }
    return {}
  },

  async parse(_ctx, req: InboundRequest): Promise<WebhookEvent[]> {
    const events: WebhookEvent[] = []
    for (const entry of parseBody(req.body)) {
      const { stream, id } = parseResource(entry.resource ?? '')
      if (!stream) continue
      const dedupeKey = [
        entry.subscriptionId,
        entry.changeType,
        entry.resource,
        entry.lastModifiedDateTime,
      ].join('|')
      // A collection notice means "more than BC would list changed": re-read by lastModifiedDateTime.
      if (entry.changeType === 'collection' || !id) events.push({ type: 'changed', stream, dedupeKey })
      else events.push({ type: 'changed', stream, ids: [id], dedupeKey })
    }
    return events
  },

  reply: () => ({ status: 200 }),

  async subscribe(ctx, req) {
    if (!(subscribableStreams as readonly string[]).includes(req.stream)) {
      throw new ConnectorError('config', `BC does not offer webhooks for ${req.stream}: poll it instead.`)
    }
    const company = new URL(await companyUrl(ctx)).pathname.replace(/^.*(\/api\/v2\.0\/)/, '$1')
    const clientState = randomBytes(24).toString('base64url')
    const answer = await callApi(ctx, {
      method: 'POST',
      url: `${apiRoot(ctx.config)}/subscriptions`,
      body: { notificationUrl: req.notificationUrl, resource: `${company}/${req.stream}`, clientState },
    })
    return toSubscription(req.stream, answer.body, clientState)
  },

  async renew(ctx, sub) {
    const etag = (sub.data?.etag as string | undefined) ?? '*'
    const answer = await callApi(ctx, {
      method: 'PATCH',
      url: subscriptionUrl(ctx, sub.id),
      body: {},
      headers: { 'if-match': etag },
    })
    return toSubscription(sub.stream, answer.body, sub.secret)
  },

  async unsubscribe(ctx, sub) {
    const etag = (sub.data?.etag as string | undefined) ?? '*'
    await callApi(ctx, {
      method: 'DELETE',
      url: subscriptionUrl(ctx, sub.id),
      headers: { 'if-match': etag },
    }).catch((error: unknown) => {
      if ((error as ConnectorError).kind !== 'not_found') throw error
    })
  },
}

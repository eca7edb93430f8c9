/**
 * Webhook subscriptions at environment level: create and renew run the `validationToken` handshake
 * against the notification URL first; they expire three days after the last create/renew, hold an
 * ETag like any entity, are capped at 200, and only documented entity sets may be subscribed to.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { BcHttpError } from '../protocol/bc-http-error.ts'
import type { SandboxState } from '../state/sandbox-state.ts'

/** Entity sets BC documents as subscribable (those the emulator stores). */
export const subscribableSets = new Set([
  'vendors',
  'purchaseInvoices',
  'accounts',
  'dimensions',
  'generalLedgerEntries',
  'paymentTerms',
  'currencies',
])

const lifetimeMs = 3 * 24 * 60 * 60 * 1000

/** A stored subscription. */
export interface StoredSubscription {
  subscriptionId: string
  notificationUrl: string
  resource: string
  clientState: string
  expirationDateTime: string
  userId: string
  createdAt: string
  modifiedAt: string
  version: number
  companyId: string
  entitySet: string
  failures: number
}

/** The wire form of a subscription. */
export function subscriptionWire(sub: StoredSubscription): Record<string, unknown> {
  return {
    '@odata.etag': `W/"${Buffer.from(`${sub.subscriptionId};${sub.version}`).toString('base64')}"`,
    subscriptionId: sub.subscriptionId,
    notificationUrl: sub.notificationUrl,
    resource: sub.resource,
    timestamp: sub.version,
    userId: sub.userId,
    lastModifiedDateTime: sub.modifiedAt,
    clientState: sub.clientState,
    expirationDateTime: sub.expirationDateTime,
    systemCreatedAt: sub.createdAt,
    systemCreatedBy: sub.userId,
    systemModifiedAt: sub.modifiedAt,
    systemModifiedBy: sub.userId,
  }
}

/** The subscriptions of the environment and their lifecycle. */
export class Subscriptions {
  readonly byId = new Map<string, StoredSubscription>()

  constructor(
    private readonly state: SandboxState,
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  /** Deletes expired subscriptions (BC's job does the same). */
  purge(): void {
    const now = this.state.now().toISOString()
    for (const [id, sub] of this.byId) if (sub.expirationDateTime <= now) this.byId.delete(id)
  }

  /** Calls `notificationUrl?validationToken=…` and requires a 200 echoing the token in time. */
  private async handshake(notificationUrl: string): Promise<void> {
    const token = randomBytes(16).toString('hex')
    const url = new URL(notificationUrl)
    url.searchParams.set('validationToken', token)
    const failed = () =>
      new BcHttpError(
        400,
        'BadRequest',
        `The subscription could not be validated: ${notificationUrl} did not return the validation token.`,
      )
    try {
      const response = await this.fetch(url.href, {
        method: 'POST',
        signal: AbortSignal.timeout(this.state.settings.handshakeTimeoutMs),
      })
      const text = await response.text()
      if (response.status !== 200 || text.trim().replace(/^"|"$/g, '') !== token) throw failed()
    } catch (error) {
      if (error instanceof BcHttpError) throw error
      throw failed()
    }
  }

  private target(resource: string): { companyId: string; entitySet: string } {
    const match = /^\/?api\/v2\.0\/companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)$/.exec(resource)
    const companyId = match?.[1]?.toLowerCase()
    const entitySet = match?.[2]
    if (!companyId || !entitySet || !this.state.companies.has(companyId)) {
      throw new BcHttpError(400, 'BadRequest_ResourceNotFound', `The resource '${resource}' was not found.`)
    }
    if (!subscribableSets.has(entitySet)) {
      throw new BcHttpError(
        400,
        'BadRequest',
        `The entity '${entitySet}' does not support webhook subscriptions.`,
      )
    }
    return { companyId, entitySet }
  }

  /** `POST subscriptions`. */
  async create(body: Record<string, unknown>, userId: string): Promise<StoredSubscription> {
    this.purge()
    const { notificationUrl, resource, clientState } = body
    if (typeof notificationUrl !== 'string' || typeof resource !== 'string') {
      throw new BcHttpError(
        400,
        'BadRequest_RequiredParamNotProvided',
        "Field 'notificationUrl' and 'resource' must not be blank or empty.",
      )
    }
    if (typeof clientState === 'string' && clientState.length > 2048) {
      throw new BcHttpError(
        400,
        'Application_StringExceededLength',
        `The length of the string is ${clientState.length}, but it must be less than or equal to 2048 characters.`,
      )
    }
    if (this.byId.size >= 200)
      throw new BcHttpError(400, 'BadRequest', 'The maximum number of subscriptions (200) has been reached.')
    const target = this.target(resource)
    await this.handshake(notificationUrl)
    const now = this.state.now()
    const sub: StoredSubscription = {
      subscriptionId: randomUUID().replace(/-/g, ''),
      notificationUrl,
      resource,
      clientState: typeof clientState === 'string' ? clientState : '',
      expirationDateTime: new Date(now.getTime() + lifetimeMs).toISOString(),
      userId,
      createdAt: now.toISOString(),
      modifiedAt: now.toISOString(),
      version: 1,
      failures: 0,
      ...target,
    }
    this.byId.set(sub.subscriptionId, sub)
    return sub
  }

  /** The subscription with `id`, or BC's not-found error. */
  get(id: string): StoredSubscription {
    this.purge()
    const sub = this.byId.get(id)
    if (!sub)
      throw new BcHttpError(
        404,
        'Internal_RecordNotFound',
        `The API Webhook Subscription does not exist. Identification fields and values: Subscription Id='${id}'`,
      )
    return sub
  }

  /** `PATCH subscriptions('id')`: renews (handshake again) and extends the expiry by three days. */
  async renew(sub: StoredSubscription, body: Record<string, unknown>): Promise<StoredSubscription> {
    const notificationUrl =
      typeof body.notificationUrl === 'string' ? body.notificationUrl : sub.notificationUrl
    if (typeof body.resource === 'string' && body.resource !== sub.resource)
      Object.assign(sub, this.target(body.resource), { resource: body.resource })
    await this.handshake(notificationUrl)
    const now = this.state.now()
    Object.assign(sub, {
      notificationUrl,
      clientState: typeof body.clientState === 'string' ? body.clientState : sub.clientState,
      expirationDateTime: new Date(now.getTime() + lifetimeMs).toISOString(),
      modifiedAt: now.toISOString(),
      version: sub.version + 1,
      failures: 0,
    })
    return sub
  }
}

/**
 * The billing system's outbound webhooks: an endpoint is verified once (the system POSTs a
 * challenge and expects it echoed), then every event is POSTed signed —
 * `Billing-Timestamp: <unix seconds>` and `Billing-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * under the endpoint's secret. Failed deliveries are retried a few times.
 */
import { createHmac, randomUUID } from 'node:crypto'
import type { BillingState, Endpoint, SentEvent } from './billing-state.ts'

const RETRY_DELAYS_MS = [500, 2_000, 10_000]

/** The signature header value for a body sent at `timestamp`. */
export function billingSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Sends events to the registered endpoints. */
export class WebhookSender {
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly state: BillingState,
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  private async post(endpoint: Endpoint, payload: unknown): Promise<{ status: number; text: string }> {
    const body = JSON.stringify(payload)
    const timestamp = String(Math.floor(this.state.now().getTime() / 1000))
    try {
      const response = await this.fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'billing-timestamp': timestamp,
          'billing-signature': billingSignature(endpoint.secret, timestamp, body),
        },
        body,
      })
      return { status: response.status, text: await response.text() }
    } catch {
      return { status: 0, text: '' }
    }
  }

  /** Registers an endpoint and verifies it: it must echo the challenge. */
  async register(url: string, secret: string): Promise<Endpoint> {
    const endpoint: Endpoint = { url, secret, verified: false }
    const challenge = randomUUID()
    const answer = await this.post(endpoint, { type: 'endpoint.verification', challenge })
    endpoint.verified = answer.status === 200 && answer.text.trim() === challenge
    this.state.endpoints = [...this.state.endpoints.filter((e) => e.url !== url), endpoint]
    return endpoint
  }

  /** Records an event and delivers it to every verified endpoint (retrying failures in the background). */
  async emit(type: string, data: Record<string, unknown>): Promise<SentEvent> {
    const event: SentEvent = {
      id: `evt_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      type,
      created: this.state.now().toISOString(),
      payload: {},
      attempts: [],
    }
    event.payload = { id: event.id, type, created: event.created, data }
    this.state.events.push(event)
    await Promise.all(this.state.endpoints.filter((e) => e.verified).map((e) => this.deliver(e, event, 0)))
    return event
  }

  /** Sends an event again (as the system's "resend" button does): same id, same payload. */
  async redeliver(event: SentEvent): Promise<void> {
    await Promise.all(
      this.state.endpoints
        .filter((e) => e.verified)
        .map((e) => this.deliver(e, event, RETRY_DELAYS_MS.length)),
    )
  }

  private async deliver(endpoint: Endpoint, event: SentEvent, attempt: number): Promise<void> {
    const { status } = await this.post(endpoint, event.payload)
    event.attempts.push({ at: this.state.now().toISOString(), status })
    if (status >= 200 && status < 300) return
    const delay = RETRY_DELAYS_MS[attempt]
    if (delay === undefined) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.deliver(endpoint, event, attempt + 1)
    }, delay)
    timer.unref()
    this.timers.add(timer)
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

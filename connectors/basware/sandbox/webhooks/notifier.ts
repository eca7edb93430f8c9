/**
 * Push notifications: subscriptions (taskType/taskSubType → webhook URL + signing token) and the
 * signed task notifications sent when an invoice enters a `WaitingFor…` status. A notification
 * carries no invoice data, only the invoiceId as `documentId`.
 */
import { createHmac, randomUUID } from 'node:crypto'
import type { SandboxSettings, SignatureFormat } from '../state/sandbox-settings.ts'

/** A stored subscription (Subscription-Output). */
export interface StoredSubscription {
  taskType: string
  taskSubType: string
  subscriptionType: string
  notificationWebhookURL: string
  webhookAuthenticationToken: string
  lastUpdated: string
}

/** A task, as `GET /v1/tasks` shows it. */
export interface Task {
  taskId: string
  taskStatus: 'New' | 'Completed' | 'Failed'
  taskType: string
  taskSubType: string
  documentId: string
  expirationTime: string
  lastUpdated: string
  taskHistory: { action: string; timeStamp: string; messages: string[] }[]
}

const RETRY_DELAYS_MS = [1_000, 5_000, 30_000]
const TASK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

/** Signs a raw body the way the sandbox is configured to (HMAC-SHA256 with the subscription token). */
export function signBody(body: string, secret: string, format: SignatureFormat): string {
  const hmac = createHmac('sha256', secret).update(body)
  const digest = format.endsWith('hex') ? hmac.digest('hex') : hmac.digest('base64')
  return format.startsWith('sha256=') ? `sha256=${digest}` : digest
}

/** Subscriptions, tasks and their deliveries. */
export class Notifier {
  readonly subscriptions: StoredSubscription[] = []
  readonly tasks = new Map<string, Task>()
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly settings: SandboxSettings,
    private readonly now: () => Date,
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  /** POSTs one signed payload; resolves to the receiver's status (0 when unreachable). */
  async post(
    subscription: Pick<StoredSubscription, 'notificationWebhookURL' | 'webhookAuthenticationToken'>,
    payload: unknown,
  ): Promise<number> {
    const body = JSON.stringify(payload)
    const signature = signBody(body, subscription.webhookAuthenticationToken, this.settings.signatureFormat)
    try {
      const response = await this.fetch(subscription.notificationWebhookURL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-BWAPI-Signature-256': signature },
        body,
      })
      await response.body?.cancel()
      return response.status
    } catch {
      return 0
    }
  }

  /** Notifies subscribers that `invoiceId` entered `status`; resolves when first attempts are done. */
  async documentEntered(invoiceId: string, status: string): Promise<void> {
    const matching = this.subscriptions.filter(
      (s) => s.taskType === 'AccountingDocuments' && (s.taskSubType === status || s.taskSubType === 'All'),
    )
    await Promise.all(matching.map((s) => this.deliver(s, invoiceId, status)))
  }

  private async deliver(subscription: StoredSubscription, invoiceId: string, status: string): Promise<void> {
    const at = this.now()
    const task: Task = {
      taskId: randomUUID(),
      taskStatus: 'New',
      taskType: 'AccountingDocuments',
      taskSubType: status,
      documentId: invoiceId,
      expirationTime: new Date(at.getTime() + TASK_LIFETIME_MS).toISOString(),
      lastUpdated: at.toISOString(),
      taskHistory: [{ action: 'Created', timeStamp: at.toISOString(), messages: [] }],
    }
    this.tasks.set(task.taskId, task)
    if (this.settings.dropWebhooks > 0) {
      this.settings.dropWebhooks--
      task.taskHistory.push({
        action: 'Dropped',
        timeStamp: at.toISOString(),
        messages: ['dropped by fault injection'],
      })
      return
    }
    const payload = {
      taskId: task.taskId,
      taskStatus: task.taskStatus,
      taskType: task.taskType,
      taskSubType: task.taskSubType,
      documentId: invoiceId,
      expirationTime: task.expirationTime,
    }
    const copies = this.settings.duplicateWebhooks ? 2 : 1
    for (let i = 0; i < copies; i++) await this.track(this.attempt(subscription, task, payload, 0))
  }

  private async attempt(
    subscription: StoredSubscription,
    task: Task,
    payload: unknown,
    retry: number,
  ): Promise<void> {
    const status = await this.post(subscription, payload)
    const timeStamp = this.now().toISOString()
    task.taskHistory.push({ action: 'Delivered', timeStamp, messages: [`HTTP ${status}`] })
    if (status >= 200 && status < 300) {
      task.taskStatus = 'Completed'
    } else if (retry < RETRY_DELAYS_MS.length) {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        void this.track(this.attempt(subscription, task, payload, retry + 1))
      }, RETRY_DELAYS_MS[retry])
      this.timers.add(timer)
    } else {
      task.taskStatus = 'Failed'
    }
    task.lastUpdated = timeStamp
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise)
    return promise.finally(() => this.inFlight.delete(promise))
  }

  /** Stops retries and waits for deliveries in flight. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.inFlight])
  }

  clear(): void {
    this.subscriptions.length = 0
    this.tasks.clear()
  }
}

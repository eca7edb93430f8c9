/**
 * Sends change notifications the way BC's job queue does: waits `notificationDelayMs` after the
 * first change, merges repeated changes of one record, turns more than `collectionThreshold`
 * changes into one `collection` notice, batches entries per notification URL, retries on
 * 408/429/5xx/no answer on the 1/1/1/10/100/1000-minute schedule (scaled by `retryScale`) and
 * deletes the subscription after more than 5 failures, or at once on any other 4xx.
 */
import { randomUUID } from 'node:crypto'
import type { Company, SandboxState } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import type { StoredSubscription, Subscriptions } from './subscriptions.ts'

interface PendingChange {
  changeType: 'created' | 'updated' | 'deleted'
  entityId: string
  lastModifiedDateTime: string
}

const retryMinutes = [1, 1, 1, 10, 100, 1000]

/** Queues and delivers notifications. */
export class WebhookNotifier {
  private readonly pending = new Map<string, { first: string; changes: Map<string, PendingChange> }>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private flushTimer?: ReturnType<typeof setTimeout>

  constructor(
    private readonly state: SandboxState,
    private readonly subscriptions: Subscriptions,
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  /** Records a change of a stored entity for every subscription on its set. */
  record(
    company: Company,
    entitySet: string,
    entity: Entity,
    change: 'created' | 'updated' | 'deleted',
  ): void {
    if (this.subscriptions.byId.size === 0) return
    const at = this.state.now().toISOString()
    for (const sub of this.subscriptions.byId.values()) {
      if (sub.companyId !== company.id || sub.entitySet !== entitySet) continue
      const queue = this.pending.get(sub.subscriptionId) ?? {
        first: at,
        changes: new Map<string, PendingChange>(),
      }
      this.pending.set(sub.subscriptionId, queue)
      const previous = queue.changes.get(entity.id)
      const changeType = previous?.changeType === 'created' && change === 'updated' ? 'created' : change
      queue.changes.set(entity.id, {
        changeType,
        entityId: entity.id,
        lastModifiedDateTime: String(entity.data.lastModifiedDateTime ?? at),
      })
    }
    if (this.pending.size > 0 && !this.flushTimer && this.state.settings.notificationDelayMs > 0) {
      this.flushTimer = setTimeout(() => void this.flush(), this.state.settings.notificationDelayMs)
      this.flushTimer.unref?.()
    }
  }

  private entries(
    sub: StoredSubscription,
    first: string,
    changes: Map<string, PendingChange>,
  ): Record<string, unknown>[] {
    const base = {
      subscriptionId: sub.subscriptionId,
      clientState: sub.clientState,
      expirationDateTime: sub.expirationDateTime,
    }
    const resource = sub.resource.replace(/^\//, '')
    if (changes.size > this.state.settings.collectionThreshold) {
      const since = new Date(Date.parse(first) - 50).toISOString()
      return [
        {
          ...base,
          resource: `/${resource}?$filter=${encodeURIComponent(`lastModifiedDateTime gt ${since}`)}`,
          changeType: 'collection',
          lastModifiedDateTime: this.state.now().toISOString(),
        },
      ]
    }
    return [...changes.values()].map((c) => ({
      ...base,
      resource: `${resource}(${c.entityId})`,
      changeType: c.changeType,
      lastModifiedDateTime: c.lastModifiedDateTime,
    }))
  }

  /** Sends everything queued now (the control API's flush, or the delay timer). */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    this.subscriptions.purge()
    const byUrl = new Map<string, { subs: StoredSubscription[]; value: Record<string, unknown>[] }>()
    for (const [id, { first, changes }] of this.pending) {
      const sub = this.subscriptions.byId.get(id)
      if (!sub) continue
      const batch = byUrl.get(sub.notificationUrl) ?? { subs: [], value: [] }
      byUrl.set(sub.notificationUrl, batch)
      batch.subs.push(sub)
      batch.value.push(...this.entries(sub, first, changes))
    }
    this.pending.clear()
    await Promise.all([...byUrl].map(([url, batch]) => this.deliver(url, batch.subs, batch.value, 0)))
  }

  private async deliver(
    url: string,
    subs: StoredSubscription[],
    value: Record<string, unknown>[],
    attempt: number,
  ): Promise<void> {
    let status = 0
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          clientRequestId: randomUUID(),
          'x-ms-correlation-id': randomUUID(),
        },
        body: JSON.stringify({ value }),
      })
      status = response.status
      await response.arrayBuffer().catch(() => undefined)
    } catch {
      status = 0
    }
    this.state.stats.notificationsSent += 1
    if (status >= 200 && status < 300) {
      for (const sub of subs) sub.failures = 0
      return
    }
    const retryable = status === 0 || status === 408 || status === 429 || status >= 500
    const live = subs.filter((sub) => this.subscriptions.byId.has(sub.subscriptionId))
    for (const sub of live) {
      sub.failures += 1
      if (!retryable || sub.failures > 5) this.subscriptions.byId.delete(sub.subscriptionId)
    }
    const remaining = live.filter((sub) => this.subscriptions.byId.has(sub.subscriptionId))
    if (!retryable || remaining.length === 0 || attempt >= retryMinutes.length) return
    const ids = new Set(remaining.map((s) => s.subscriptionId))
    const delay = retryMinutes[attempt]! * 60_000 * this.state.settings.retryScale
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.deliver(
        url,
        remaining,
        value.filter((v) => ids.has(v.subscriptionId as string)),
        attempt + 1,
      )
    }, delay)
    timer.unref?.()
    this.timers.add(timer)
  }

  /** Stops every timer. */
  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

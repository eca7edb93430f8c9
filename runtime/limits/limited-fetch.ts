import { randomUUID } from 'node:crypto'
import type { Connector, ConnectorLimits } from '../../core/connector/connector.ts'
import { parseRetryAfter } from '../../core/connector/connector-error.ts'
import type { FetchWrapper } from '../engine/connection-contexts.ts'
import type { Db } from '../store/database.ts'
import {
  drainRateBucket,
  ensureConcurrencySlots,
  ensureRateBucket,
  leaseConcurrencySlot,
  releaseConcurrencySlot,
  renewConcurrencySlot,
  takeRateTokens,
} from '../store/rate-limits-store.ts'

/**
 * A concurrency slot is leased for SLOT_LEASE_MS and renewed every third of that while its request
 * runs, so a process that dies frees its slots within seconds (a 2-minute lease held every slot of a
 * connection for two minutes after a crash: the crash-safety test waited that long to settle).
 */
const SLOT_LEASE_MS = 15_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The token-bucket shape of a budget: refill rate and burst chosen so no sliding window exceeds it.
 * A bucket of burst B refilled at r admits B + r·T per window T. A request is let through once a
 * token is there and then charged its whole cost (a `$batch` of n costs n), so the bucket may end a
 * window up to cost − 1 in debt; `slack` keeps that much — at least the largest cost seen on the
 * connection less one, and 1 % for the remote's clock and transit jitter — out of the rate:
 * r = (N − B − slack)/T. (Batch delivery sends `$batch` calls of up to 100 operations.)
 */
export function bucketShape(budget: NonNullable<ConnectorLimits['budget']>, largestCost = 1) {
  const burst = Math.max(1, Math.floor(budget.requests * 0.01))
  const slack = Math.max(1, Math.floor(budget.requests * 0.01), largestCost - 1)
  return { burst, perMs: Math.max(1, budget.requests - burst - slack) / budget.perMs }
}

/**
 * What a request costs against a budget: one, or one per inner request of an OData JSON `$batch`
 * (`{ requests: [...] }`), which BC counts operation by operation. The contract has no member for a
 * connector to say what a call costs, so the runtime reads the one batch format in use.
 */
export function requestCost(input: string | URL | Request, init?: RequestInit): number {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  if (!/\/\$batch(\?|$)/.test(url) || typeof init?.body !== 'string') return 1
  try {
    const body = JSON.parse(init.body) as { requests?: unknown }
    return Array.isArray(body.requests) ? Math.max(1, body.requests.length) : 1
  } catch {
    return 1
  }
}

/** Options for {@link limitedFetch}. */
export interface LimitedFetchOptions {
  db: Db
  /** Overrides a connector's declared limits (benchmarks time-compress BC's budget). */
  limitsFor?: (connector: Connector) => ConnectorLimits | undefined
}

/**
 * Enforces each connector's declared rate budget and concurrency cap per connection across every
 * worker process, with the state in PostgreSQL: a token bucket row (one UPDATE per request) and
 * leased concurrency slots (expired leases of a crashed process are taken over). A 429 with
 * Retry-After drains the bucket so that every process pauses, not only the one that was told.
 */
export function limitedFetch(options: LimitedFetchOptions): FetchWrapper {
  const holder = randomUUID()
  const prepared = new Set<string>()
  /** The largest request cost this process has sent per connection (sizes the bucket's slack). */
  const largestCost = new Map<string, number>()

  async function prepare(connectionId: string, limits: ConnectorLimits) {
    if (prepared.has(connectionId)) return
    if (limits.budget) await ensureRateBucket(options.db, connectionId, bucketShape(limits.budget).burst)
    if (limits.concurrency) await ensureConcurrencySlots(options.db, connectionId, limits.concurrency)
    prepared.add(connectionId)
  }

  async function takeToken(
    connectionId: string,
    budget: NonNullable<ConnectorLimits['budget']>,
    cost: number,
  ) {
    const largest = Math.max(cost, largestCost.get(connectionId) ?? 1)
    largestCost.set(connectionId, largest)
    const { burst, perMs } = bucketShape(budget, largest)
    for (let waited = false; ; waited = true) {
      const row = await takeRateTokens(options.db, connectionId, { burst, perMs, cost, waitedBefore: waited })
      if (!row || row.ok) return
      await sleep(Math.min(5_000, Math.max(5, (1 - row.tokens) / perMs)))
    }
  }

  async function takeSlot(connectionId: string, cap: number): Promise<number> {
    for (let delay = 5; ; delay = Math.min(200, delay * 2)) {
      const slot = await leaseConcurrencySlot(options.db, connectionId, {
        cap,
        holder,
        leaseMs: SLOT_LEASE_MS,
      })
      if (slot !== undefined) return slot
      await sleep(delay)
    }
  }

  /** Keeps a slot's lease alive until the returned function is called. */
  function renewSlot(connectionId: string, slot: number): () => void {
    const timer = setInterval(() => {
      renewConcurrencySlot(options.db, connectionId, slot, { holder, leaseMs: SLOT_LEASE_MS }).catch(
        () => undefined,
      )
    }, SLOT_LEASE_MS / 3)
    timer.unref()
    return () => clearInterval(timer)
  }

  async function releaseSlot(connectionId: string, slot: number) {
    await releaseConcurrencySlot(options.db, connectionId, slot, holder)
  }

  async function pause(connectionId: string, budget: NonNullable<ConnectorLimits['budget']>, ms: number) {
    const { perMs } = bucketShape(budget, largestCost.get(connectionId))
    await drainRateBucket(options.db, connectionId, -ms * perMs)
  }

  return (connectionId, connector, fetch) => {
    const limits = options.limitsFor?.(connector) ?? connector.limits
    if (!limits?.budget && !limits?.concurrency) return fetch
    return async (input, init) => {
      await prepare(connectionId, limits)
      const slot = limits.concurrency ? await takeSlot(connectionId, limits.concurrency) : undefined
      const stopRenewing = slot === undefined ? undefined : renewSlot(connectionId, slot)
      try {
        if (limits.budget) await takeToken(connectionId, limits.budget, requestCost(input, init))
        const response = await fetch(input, init)
        if (response.status === 429 && limits.budget) {
          await pause(
            connectionId,
            limits.budget,
            parseRetryAfter(response.headers.get('retry-after')) ?? 1_000,
          )
        }
        return response
      } finally {
        stopRenewing?.()
        if (slot !== undefined) await releaseSlot(connectionId, slot)
      }
    }
  }
}

import type { Connector, ConnectorContext, Logger } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { egressFetch } from '../egress/egress-fetch.ts'
import { type EgressPolicy, egressPolicyFromEnv } from '../egress/egress-policy.ts'
import { networkFetch } from '../egress/network-fetch.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { connectionStateStore } from '../store/connection-state-store.ts'
import { connectionFingerprint, loadConnectionConfig } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'
import { memoryConnectionState } from './memory-connection-state.ts'

/** A connection ready for connector calls. */
export interface LiveConnection {
  connectionId: string
  tenantId: string
  connector: Connector
  ctx: ConnectorContext
  /** The connection's secret values, to scrub from anything stored or shown. */
  secrets: readonly string[]
}

/** Builds and caches connector contexts per connection for this process. */
export interface ConnectionContexts {
  /**
   * The connection's live context. With `signal` (a job's abort signal), every call made through the
   * returned context — connector code passes `ctx.signal` to `ctx.fetch` — ends when it aborts.
   */
  get(connectionId: string, signal?: AbortSignal): Promise<LiveConnection>
  /** Drops a cached connection and its memo (token caches, clients) after its config changed. */
  invalidate(connectionId: string): void
  /**
   * A context for a config not saved yet, so it can be checked before saving: the same transport and
   * egress rules, its state kept in memory and dropped afterwards (nothing reaches the database).
   */
  probe(connector: Connector, config: Record<string, unknown>, secrets: readonly string[]): LiveConnection
}

/** Wraps a fetch per connection: redirects are the connector's business; limits are enforced here. */
export type FetchWrapper = (
  connectionId: string,
  connector: Connector,
  fetch: typeof globalThis.fetch,
) => typeof globalThis.fetch

/** Options for {@link createConnectionContexts}. */
export interface ConnectionContextsOptions {
  db: Db
  box: SecretBox
  registry: Record<string, Connector>
  log: Logger
  /**
   * The transport (default: the network, through the egress policy's address checks). Tests and the
   * demo route sandboxes in-process; the policy's URL rules and timeouts apply to it all the same.
   */
  fetch?: typeof globalThis.fetch
  /** Where connections may send requests (default: from the environment, see egressPolicyFromEnv). */
  egress?: EgressPolicy
  /** Enforces rate budgets and concurrency caps (the runtime's limiter). */
  wrapFetch?: FetchWrapper
  /** Aborted when the process shuts down; every connector call sees it as `ctx.signal`. */
  signal?: AbortSignal
  /**
   * How often a cached connection is compared with its stored row, so a change saved by another
   * process (a rotated secret, a new URL) takes effect here within this time. Default 2 s.
   */
  revalidateMs?: number
}

interface CacheEntry {
  live: Promise<LiveConnection>
  fingerprint?: string
  checkedAt: number
}

/** Creates the per-process cache of connector contexts. */
export function createConnectionContexts(options: ConnectionContextsOptions): ConnectionContexts {
  const cache = new Map<string, CacheEntry>()
  const policy = options.egress ?? egressPolicyFromEnv()
  const transport = options.fetch
    ? egressFetch(policy, options.fetch)
    : egressFetch(policy, networkFetch(policy), { complete: true })
  const revalidateMs = options.revalidateMs ?? 2_000

  async function build(connectionId: string, entry: CacheEntry): Promise<LiveConnection> {
    const { row, config, secretValues, fingerprint } = await loadConnectionConfig(
      options.db,
      options.box,
      connectionId,
    )
    entry.fingerprint = fingerprint
    const connector = options.registry[row.connector]
    if (!connector)
      throw new ConnectorError(
        'config',
        `connection ${row.name} uses connector "${row.connector}", which this build does not have`,
      )
    // A fresh memo per build: cached tokens and clients belong to the config they were made from.
    const ctx: ConnectorContext = {
      connectionId,
      config,
      fetch: options.wrapFetch ? options.wrapFetch(connectionId, connector, transport) : transport,
      state: connectionStateStore(options.db, connectionId, options.box),
      memo: new Map<string, unknown>(),
      log: options.log,
      now: () => new Date(),
      signal: options.signal,
    }
    return { connectionId, tenantId: row.tenantId, connector, ctx, secrets: secretValues }
  }

  function start(connectionId: string): Promise<LiveConnection> {
    const entry: CacheEntry = { live: Promise.resolve() as never, checkedAt: Date.now() }
    entry.live = build(connectionId, entry)
    entry.live.catch(() => {
      if (cache.get(connectionId) === entry) cache.delete(connectionId)
    })
    cache.set(connectionId, entry)
    return entry.live
  }

  async function revalidate(connectionId: string, entry: CacheEntry): Promise<LiveConnection> {
    entry.checkedAt = Date.now()
    const live = await entry.live
    const fingerprint = await connectionFingerprint(options.db, connectionId)
    if (fingerprint === entry.fingerprint || cache.get(connectionId) !== entry) return live
    return start(connectionId)
  }

  function cached(connectionId: string): Promise<LiveConnection> {
    const entry = cache.get(connectionId)
    if (!entry) return start(connectionId)
    // Date.now() may move backwards in tests that shift the clock: any difference counts.
    if (Math.abs(Date.now() - entry.checkedAt) < revalidateMs) return entry.live
    return revalidate(connectionId, entry)
  }

  return {
    async get(connectionId, signal) {
      const live = await cached(connectionId)
      if (!signal) return live
      const both = live.ctx.signal ? AbortSignal.any([live.ctx.signal, signal]) : signal
      return { ...live, ctx: { ...live.ctx, signal: both } }
    },
    invalidate(connectionId) {
      cache.delete(connectionId)
    },
    probe(connector, config, secrets) {
      // Not a stored connection: no rate budget to charge, no durable state to keep.
      const ctx: ConnectorContext = {
        connectionId: 'unsaved',
        config,
        fetch: transport,
        state: memoryConnectionState(),
        memo: new Map<string, unknown>(),
        log: options.log,
        now: () => new Date(),
        signal: options.signal,
      }
      return { connectionId: 'unsaved', tenantId: '', connector, ctx, secrets }
    },
  }
}

import type { Connector, ConnectorContext, Logger } from '../../core/connector/connector.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { connectionStateStore } from '../store/connection-state-store.ts'
import { loadConnectionConfig } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'

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
  get(connectionId: string): Promise<LiveConnection>
  /** Drops a cached connection (after its config changed). */
  invalidate(connectionId: string): void
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
  /** The transport (default global fetch; tests and the demo route sandboxes in-process). */
  fetch?: typeof globalThis.fetch
  /** Enforces rate budgets and concurrency caps (the runtime's limiter). */
  wrapFetch?: FetchWrapper
}

/** Creates the per-process cache of connector contexts. */
export function createConnectionContexts(options: ConnectionContextsOptions): ConnectionContexts {
  const cache = new Map<string, Promise<LiveConnection>>()
  const memos = new Map<string, Map<string, unknown>>()
  const baseFetch = options.fetch ?? globalThis.fetch
  const manualRedirects: typeof globalThis.fetch = (input, init) =>
    baseFetch(input, { ...init, redirect: 'manual' })

  async function build(connectionId: string): Promise<LiveConnection> {
    const { row, config, secretValues } = await loadConnectionConfig(options.db, options.box, connectionId)
    const connector = options.registry[row.connector]
    if (!connector)
      throw new Error(
        `connection ${row.name} uses connector "${row.connector}", which this build does not have`,
      )
    const memo = memos.get(connectionId) ?? new Map<string, unknown>()
    memos.set(connectionId, memo)
    const ctx: ConnectorContext = {
      connectionId,
      config,
      fetch: options.wrapFetch
        ? options.wrapFetch(connectionId, connector, manualRedirects)
        : manualRedirects,
      state: connectionStateStore(options.db, connectionId, options.box),
      memo,
      log: options.log,
      now: () => new Date(),
    }
    return { connectionId, tenantId: row.tenantId, connector, ctx, secrets: secretValues }
  }

  return {
    get(connectionId) {
      let live = cache.get(connectionId)
      if (!live) {
        live = build(connectionId)
        live.catch(() => cache.delete(connectionId))
        cache.set(connectionId, live)
      }
      return live
    },
    invalidate(connectionId) {
      cache.delete(connectionId)
    },
  }
}

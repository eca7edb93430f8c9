import type { Connector, ConnectorContext, Logger } from '../../core/connector/connector.ts'
import type { Sandbox, SandboxOptions } from '../../core/connector/sandbox.ts'
import { memoryConnectionState } from './memory-connection-state.ts'

/** A fetch that serves requests in-process from a sandbox, with no socket and no redirect following. */
export function sandboxFetch(sandbox: Pick<Sandbox, 'fetch'>): typeof fetch & { calls: Request[] } {
  const calls: Request[] = []
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init)
    calls.push(request.clone())
    return sandbox.fetch(request)
  }) as typeof fetch & { calls: Request[] }
  f.calls = calls
  return f
}

/** A logger that keeps lines in memory (tests assert that no secret is ever logged). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`)
  }
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

/** Options for {@link startSandboxContext}. */
export interface SandboxContextOptions {
  baseUrl?: string
  configOverrides?: Record<string, unknown>
  sandboxOptions?: Partial<SandboxOptions>
  now?: () => Date
}

/**
 * Starts a connector's sandbox in-process and builds a ConnectorContext that talks to it through
 * the connector's production code paths (only the transport is in-process).
 */
export async function startSandboxContext<C>(connector: Connector<C>, options: SandboxContextOptions = {}) {
  if (!connector.sandbox) throw new Error(`connector ${connector.id} has no sandbox`)
  const baseUrl = options.baseUrl ?? `http://127.0.0.1:1/${connector.id}`
  const sandbox = await connector.sandbox({
    baseUrl,
    seed: 'demo',
    now: options.now,
    ...options.sandboxOptions,
  })
  const fetch = sandboxFetch(sandbox)
  const log = memoryLogger()
  const state = memoryConnectionState()
  const config = { ...sandbox.connectionConfig(), ...options.configOverrides } as C
  const ctx: ConnectorContext<C> = {
    connectionId: `test-${connector.id}`,
    config,
    fetch,
    state,
    memo: new Map(),
    log,
    now: options.now ?? (() => new Date()),
  }
  /** A second context on the same sandbox with other config (e.g. a wrong secret). */
  const withConfig = (overrides: Record<string, unknown>): ConnectorContext<C> => ({
    ...ctx,
    config: { ...config, ...overrides } as C,
    memo: new Map(),
    state: memoryConnectionState(),
  })
  return { sandbox, ctx, fetch, log, state, withConfig }
}

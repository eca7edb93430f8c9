/**
 * Test helpers for the declarative runtime: a connector from an inline manifest (its diagnostics
 * thrown when it is not valid) and a context whose fetch serves a Hono app in-process, recording
 * every request as the remote saw it.
 */
import type { Hono } from 'hono'
import type { Connector, ConnectorContext } from '../../core/connector/connector.ts'
import { formatDiagnostic } from '../../core/manifest/diagnostic.ts'
import { parseConnectorManifest } from '../../core/manifest/parse-connector-manifest.ts'
import { memoryConnectionState } from '../../test/support/memory-connection-state.ts'
import { memoryLogger } from '../../test/support/sandbox-context.ts'
import { declaredConnector } from './declared-connector.ts'

/** The connector an inline manifest declares. */
export function declared(yaml: string): Connector {
  const { manifest, diagnostics } = parseConnectorManifest({ file: 'test.connector.yaml', text: yaml })
  if (!manifest) throw new Error(diagnostics.map(formatDiagnostic).join('\n'))
  return declaredConnector(manifest)
}

/** A request as the remote received it. */
export interface SeenRequest {
  method: string
  url: URL
  headers: Headers
  body: string
}

/** A context on `app` (reachable as https://remote.test) with `config`. */
export function remoteContext(app: Hono, config: Record<string, unknown> = {}) {
  const seen: SeenRequest[] = []
  const log = memoryLogger()
  let now = Date.parse('2026-12-02T10:00:00Z')
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init)
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.clone().text(),
    })
    return app.fetch(request)
  }) as typeof globalThis.fetch
  const ctx: ConnectorContext = {
    connectionId: 'test-connection',
    config: { baseUrl: 'https://remote.test', ...config },
    fetch,
    state: memoryConnectionState(),
    memo: new Map(),
    log,
    now: () => new Date(now),
  }
  return {
    ctx,
    seen,
    log,
    /** Moves the context's clock (token expiry). */
    advance(ms: number) {
      now += ms
    },
  }
}

/** Every record of a read, and the cursor after each page. */
export async function readAll(
  connector: Connector,
  stream: string,
  ctx: ConnectorContext,
  req: Partial<Parameters<NonNullable<Connector['streams'][string]['read']>>[1]> = {},
) {
  const pages: { records: Record<string, unknown>[]; cursor: string | null }[] = []
  for await (const page of connector.streams[stream]!.read!(ctx, { cursor: null, query: {}, ...req }))
    pages.push(page)
  return { pages, records: pages.flatMap((p) => p.records), cursors: pages.map((p) => p.cursor) }
}

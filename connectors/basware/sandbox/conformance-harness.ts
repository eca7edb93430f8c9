/**
 * Shared set-up of the sandbox conformance tests: a sandbox on a movable clock whose outbound
 * notifications are captured, and raw-HTTP helpers that behave like a correct Basware client.
 */
import { afterEach, beforeEach, expect } from 'vitest'
import type { Sandbox } from '../../../core/connector/sandbox.ts'
import { createSandbox } from './index.ts'

/** The base URL the conformance tests mount the sandbox at (with a path prefix, as in production). */
export const BASE = 'http://127.0.0.1:1/basware'

/** Mutable state of the running test's sandbox. */
export const h = {
  sandbox: undefined as unknown as Sandbox,
  clock: 0,
  outbound: [] as { url: string; headers: Headers; body: string }[],
  receiverStatus: 200,
}

/** Registers a fresh sandbox per test. */
export function useSandbox(): void {
  beforeEach(async () => {
    h.clock = Date.parse('2026-06-01T08:00:00Z')
    h.outbound = []
    h.receiverStatus = 200
    h.sandbox = await createSandbox({
      baseUrl: BASE,
      now: () => new Date(h.clock),
      fetch: async (input, init) => {
        const request = new Request(input, init)
        h.outbound.push({ url: request.url, headers: request.headers, body: await request.text() })
        return new Response(null, { status: h.receiverStatus })
      },
    })
  })
  afterEach(() => h.sandbox.close())
}

/** Sends one request; a Bearer token with the default scopes unless `auth` says otherwise (null: none). */
export async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; auth?: string | null } = {},
) {
  const headers: Record<string, string> = { ...init.headers }
  if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${await token()}`
  if (init.body !== undefined) headers['content-type'] ??= 'application/json'
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body)
  return h.sandbox.fetch(new Request(path.startsWith('http') ? path : BASE + path, { method, headers, body }))
}

/** An access token for `scope` (default: the connection's scopes). */
export async function token(scope?: string): Promise<string> {
  const config = h.sandbox.connectionConfig()
  const res = await call('POST', '/v1/tokens', {
    auth: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope ?? String(config.scopes))}`,
  })
  return ((await res.json()) as { access_token: string }).access_token
}

/** Follows a 302 as a correct client does (no Authorization) and returns the download response. */
export async function download(res: Response): Promise<Response> {
  expect(res.status).toBe(302)
  return call('GET', res.headers.get('location')!, { auth: null })
}

/** The invoiceIds of a downloaded page. */
export const ids = async (res: Response) =>
  ((await res.json()) as { accountingDocuments: { invoiceId: string }[] }).accountingDocuments.map(
    (d) => d.invoiceId,
  )

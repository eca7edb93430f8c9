/**
 * Test wiring for the MISA connector tests: a sandbox whose callbacks are delivered in-process to the
 * connector's own webhook verify/parse/reply (as the runtime's ingress would), with a queue processed
 * only on demand so tests are deterministic.
 */
import type { InboundRequest, WriteOutcome } from '../../core/connector/connector.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import type { Config } from './config.ts'
import { misa } from './index.ts'
import { callbackReply } from './webhooks.ts'

/** Where the sandbox posts callbacks in tests. */
export const CALLBACK_URL = 'http://ferry.test/hooks/tenant/misa'

/** Starts a sandbox + context pair and a callback receiver that records outcomes. */
export async function startTestEnv(options: { now?: () => Date; config?: Partial<Config> } = {}) {
  const outcomes: WriteOutcome[] = []
  const refused: string[] = []
  let verifyCtx: Parameters<NonNullable<typeof misa.webhooks>['verify']>[0] | undefined
  const receiver = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init)
    const inbound: InboundRequest = {
      method: req.method,
      url: req.url,
      headers: Object.fromEntries(req.headers),
      body: new Uint8Array(await req.arrayBuffer()),
    }
    try {
      await misa.webhooks!.verify(verifyCtx!, inbound, [])
    } catch (e) {
      refused.push((e as Error).message)
      const reply = callbackReply(false, 'Signature invalid')
      return new Response(reply.body, { status: reply.status, headers: reply.headers })
    }
    const events = await misa.webhooks!.parse(verifyCtx!, inbound)
    for (const e of events) if (e.type === 'outcome') outcomes.push(e.outcome)
    const reply = misa.webhooks!.reply!(events)
    return new Response(reply.body, { status: reply.status, headers: reply.headers })
  }) as typeof fetch
  const env = await startSandboxContext(misa, {
    sandboxOptions: { fetch: receiver },
    now: options.now,
    configOverrides: options.config,
  })
  verifyCtx = env.ctx
  const base = String(env.ctx.config.baseUrl)
  const reads = new Set(['stats', 'proposals', 'callbacks', 'settings', 'clock', 'ledger', 'outbox'])
  const control = async (path: string, body?: unknown): Promise<any> => {
    const init =
      body === undefined && reads.has(path)
        ? {}
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body ?? {}),
          }
    const res = await env.sandbox.fetch(new Request(`${base}/__sandbox/${path}`, init))
    return res.json()
  }
  await control('settings', { autoProcess: false, callbackRetryDelayMs: 0 })
  await control('callback-url', { url: CALLBACK_URL })
  return { ...env, ctx: env.ctx as typeof env.ctx & { config: Config }, outcomes, refused, control, base }
}

/**
 * A bc-basware tenant (the recipe enabled through the API, the service's workers running against the
 * BC and Basware sandboxes) plus what reconciliation tests need: the API with reconciliation, the CLI
 * wired to it in-process, and the sandboxes' write counts (reconciliation must only read).
 */

import { connectors } from '../../connectors/index.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import type { CliIo } from '../../runtime/cli/cli-io.ts'
import { guardCommand } from '../../runtime/cli/guard-command.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { issueApiKey } from '../../runtime/store/tenants-store.ts'
import { startBcBaswareTenant } from '../recipes/bc-basware-environment.ts'
import { waitFor } from '../support/wait-for.ts'

const API = 'http://ferry.test'

/** Starts the tenant; see the module comment. */
export async function startReconcileTenant(
  label: string,
  options: Parameters<typeof startBcBaswareTenant>[1] = {},
) {
  const env = await startBcBaswareTenant(label, options)
  const app = createApiApp({
    db: env.t.db,
    box: createSecretBox(Buffer.alloc(32, 7)),
    registry: connectors,
    catalog: catalogFromConnectors(connectors),
    flowControl: env.service.flowControl,
    reconcile: env.service.reconcileControl,
    log: silentLogger,
    contexts: env.service.engine.deps.contexts,
  })
  const { key } = await issueApiKey(env.t.db, { role: 'tenant', tenantId: env.tenantId })
  const fetchApi = (async (input: string | URL | Request, init?: RequestInit) =>
    app.request(String(input), init)) as typeof fetch

  /** One call to the API with reconciliation as the holder of `apiKey`; answers status, parsed body and headers. */
  const callAs = async (apiKey: string, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, json, text, headers: res.headers }
  }
  /** One call as the tenant. */
  const call = (method: string, path: string, body?: unknown) => callAs(key, method, path, body)

  /** Starts a reconciliation through the API and waits until it is done. */
  const reconcile = async (body: Record<string, unknown>) => {
    const started = await call('POST', '/v1/reconciliations', body)
    if (started.status !== 202) throw new Error(`reconcile → ${started.status} ${started.text}`)
    let row: any
    await waitFor(
      'the reconciliation to finish',
      async () => {
        row = (await call('GET', `/v1/reconciliations/${started.json.id}`)).json
        return row.state === 'done' || row.state === 'failed'
      },
      240_000,
    )
    if (row.state !== 'done') throw new Error(`reconciliation failed: ${JSON.stringify(row.error)}`)
    const items = (await call('GET', `/v1/reconciliations/${row.id}/items?limit=1000`)).json.items as any[]
    return { row, items }
  }

  /** Runs a CLI command as main.ts does, against this API; stdout and stderr lines collected. */
  const cli = async (command: (argv: string[], io: CliIo) => Promise<number>, ...argv: string[]) => {
    const out: string[] = []
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      tty: false,
      env: { FERRY_API_URL: API, FERRY_API_KEY: key },
      dataDir: '/nonexistent',
      fetch: fetchApi,
      pollMs: 200,
    }
    const code = await guardCommand(command)(argv, io)
    return { code, out: out.join('\n') }
  }

  /** Requests that change something, per sandbox (a token request is not a change). */
  const writes = async () => {
    const bc = (await env.bc('GET', 'stats')) as {
      requests: Record<string, number>
      batchOperations: Record<string, number>
    }
    const bw = (await env.basware('GET', 'stats')) as { byRoute: Record<string, number> }
    const changing = (counts: Record<string, number>) =>
      Object.entries(counts)
        .filter(([k]) => !/^(GET|HEAD)\b/.test(k) && !/token/i.test(k))
        .reduce((n, [, v]) => n + v, 0)
    return { bc: changing(bc.requests) + changing(bc.batchOperations), basware: changing(bw.byRoute) }
  }

  return { ...env, call, callAs, reconcile, cli, writes }
}

/** The environment of {@link startReconcileTenant}. */
export type ReconcileTenant = Awaited<ReturnType<typeof startReconcileTenant>>

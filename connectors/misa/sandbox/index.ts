/**
 * The MISA AMIS Kế toán sandbox: an in-memory emulator of the ACT Open API (connect, the
 * `/apir/sync/actopen/*` functions, asynchronous proposals with signed callbacks) plus the
 * `/__sandbox/…` control API. Routes are mounted under the pathname of `baseUrl`.
 */
import { Hono } from 'hono'
import type { Sandbox, SandboxOptions } from '../../../core/connector/sandbox.ts'
import { connectRoutes } from './auth/routes-connect.ts'
import { controlRoutes } from './control/control-routes.ts'
import { demoCredentials, seedDemo } from './control/demo-seed.ts'
import { produceVendors } from './control/produce-vendors.ts'
import { dictionaryRoutes } from './protocol/routes-dictionary.ts'
import { readRoutes } from './protocol/routes-reads.ts'
import { voucherRoutes } from './protocol/routes-vouchers.ts'
import { createRuntime } from './state/sandbox-runtime.ts'
import { createState } from './state/sandbox-state.ts'

/** Starts a MISA sandbox. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const base = new URL(options.baseUrl)
  const prefix = base.pathname.replace(/\/+$/, '')
  const state = createState(options.now ?? (() => new Date()))
  const runtime = createRuntime(state, options.fetch ?? globalThis.fetch)
  const tenant = seedDemo(state, { empty: options.seed === 'empty' })

  const app = new Hono()
  connectRoutes(app, runtime)
  dictionaryRoutes(app, runtime)
  voucherRoutes(app, runtime)
  readRoutes(app, runtime)
  controlRoutes(app, runtime)
  app.notFound((c) => c.text('Not Found', 404))

  return {
    async fetch(request) {
      const url = new URL(request.url)
      if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`))
        return new Response('Not Found', { status: 404 })
      url.pathname = url.pathname.slice(prefix.length) || '/'
      return app.fetch(new Request(url, request))
    },
    connectionConfig() {
      return {
        baseUrl: `${base.origin}${prefix}`,
        appId: demoCredentials.appId,
        accessCode: demoCredentials.accessCode,
        orgCompanyCode: demoCredentials.orgCompanyCode,
        branchId: demoCredentials.branchId,
        chartRegime: tenant.regime,
      }
    },
    async produce(count) {
      const current = [...state.tenants.values()][0]
      if (current) produceVendors(current, count, state.now())
    },
    async close() {
      runtime.close()
    },
  }
}

import type { Context } from 'hono'
import type { Principal } from '../store/tenants-store.ts'

// A symbol, not a header: nothing that arrives over HTTP can carry it.
const PRINCIPAL = Symbol('ferry.inProcessPrincipal')

/**
 * The Hono `env` for a request the service makes to its own API in-process on behalf of a principal
 * it already authenticated (the console's session). The API then runs exactly as for a bearer key:
 * the route's access rule, parameter and body checks, tenant scoping and problem+json errors.
 *
 * @example await apiApp.fetch(new Request('http://ferry/v1/flows'), inProcessEnv(principal))
 */
export function inProcessEnv(principal: Principal): Record<symbol, Principal> {
  return { [PRINCIPAL]: principal }
}

/** The principal of an in-process request ({@link inProcessEnv}); undefined for every HTTP request. */
export function inProcessPrincipal(c: Context): Principal | undefined {
  const env = c.env as Record<symbol, Principal> | undefined
  return env && typeof env === 'object' ? env[PRINCIPAL] : undefined
}

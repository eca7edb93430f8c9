import type { Context } from 'hono'
import type { Db } from '../store/database.ts'
import { authenticateApiKey, type Principal } from '../store/tenants-store.ts'
import type { RouteAccess } from './api-route.ts'
import { inProcessPrincipal } from './in-process-principal.ts'
import { ApiProblem } from './problem.ts'

const challenge = (error?: string) => ({
  'www-authenticate': error ? `Bearer realm="ferry", error="${error}"` : 'Bearer realm="ferry"',
})

/**
 * Resolves the bearer key of a request and checks its role against the route: 401 (with a Bearer
 * challenge) for a missing or unknown key, 403 when the role may not use the route.
 */
export async function authenticateRequest(
  c: Context,
  db: Db,
  access: RouteAccess,
): Promise<Principal | undefined> {
  if (access === 'public') return undefined
  const inProcess = inProcessPrincipal(c)
  if (inProcess) return authorizePrincipal(inProcess, access)
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header)
  if (!match)
    throw new ApiProblem(
      401,
      'unauthorized',
      header
        ? 'the Authorization header must be "Bearer <api key>"'
        : 'an API key is required (Authorization: Bearer <key>)',
      [],
      challenge(header ? 'invalid_request' : undefined),
    )
  const principal = await authenticateApiKey(db, match[1]!)
  if (!principal)
    throw new ApiProblem(
      401,
      'unauthorized',
      'the API key is unknown or revoked',
      [],
      challenge('invalid_token'),
    )
  return authorizePrincipal(principal, access)
}

/** Checks a principal's role against a route's access rule: 403 when it may not use the route. */
function authorizePrincipal(principal: Principal, access: RouteAccess): Principal {
  if (access === 'admin' && principal.role !== 'admin')
    throw new ApiProblem(403, 'forbidden', 'this route needs the admin key')
  if (access === 'tenant' && (principal.role !== 'tenant' || !principal.tenantId))
    throw new ApiProblem(
      403,
      'forbidden',
      'this route needs a tenant key; the admin key only manages tenants and keys',
    )
  return principal
}

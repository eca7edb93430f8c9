import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { redactSecrets } from '../../core/connector/connector-error.ts'
import { createConnectionContexts } from '../engine/connection-contexts.ts'
import { NotFoundError } from '../engine/flow-control.ts'
import type { ApiDeps } from './api-deps.ts'
import { apiKeysRoutes } from './api-keys-routes.ts'
import type { ApiEnv, ApiRoute } from './api-route.ts'
import { authenticateRequest } from './authenticate-request.ts'
import { connectionsRoutes } from './connections-routes.ts'
import { connectorsRoutes } from './connectors-routes.ts'
import { consentRoutes } from './consent-routes.ts'
import { diagnosticsRoutes } from './diagnostics-routes.ts'
import { exceptionsRoutes } from './exceptions-routes.ts'
import { flowsRoutes } from './flows-routes.ts'
import { goLiveRoutes } from './go-live-routes.ts'
import { healthApiRoutes } from './health-routes.ts'
import { manifestsRoutes } from './manifests-routes.ts'
import { mappingTablesRoutes } from './mapping-tables-routes.ts'
import { metricsRoutes } from './metrics-routes.ts'
import { buildOpenApi } from './openapi.ts'
import { overviewRoutes } from './overview-routes.ts'
import { parameterReader } from './parameter-reader.ts'
import { ApiProblem, notFound, problemResponse } from './problem.ts'
import { progressRoutes } from './progress-routes.ts'
import { readJsonBody } from './read-json-body.ts'
import { recipesRoutes } from './recipes-routes.ts'
import { reconciliationsRoutes } from './reconciliations-routes.ts'
import { recordsRoutes } from './records-routes.ts'
import { runsRoutes } from './runs-routes.ts'
import { securityHeaders } from './security-headers.ts'
import { subscriptionsRoutes } from './subscriptions-routes.ts'
import { tenantsRoutes } from './tenants-routes.ts'

/** Largest accepted request body. */
export const API_BODY_LIMIT = 1024 * 1024

/** Every route of the API, in the order the OpenAPI document lists them. */
export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  const contexts =
    deps.contexts ??
    createConnectionContexts({
      db: deps.db,
      box: deps.box,
      registry: deps.registry,
      log: deps.log,
      fetch: deps.fetch,
      egress: deps.egress,
    })
  const routes: ApiRoute[] = [
    ...healthApiRoutes({ db: deps.db, draining: deps.draining ?? (() => false) }),
    ...metricsRoutes(deps),
    ...tenantsRoutes(deps),
    ...apiKeysRoutes(deps),
    ...manifestsRoutes(deps),
    ...connectorsRoutes(deps),
    ...connectionsRoutes(deps, contexts),
    ...consentRoutes(deps, contexts),
    ...recipesRoutes(deps),
    ...mappingTablesRoutes(deps, contexts),
    ...flowsRoutes(deps),
    ...goLiveRoutes(deps),
    ...runsRoutes(deps),
    ...recordsRoutes(deps),
    ...exceptionsRoutes(deps),
    ...progressRoutes(deps),
    ...overviewRoutes(deps),
    ...diagnosticsRoutes(deps),
    ...reconciliationsRoutes(deps),
    ...subscriptionsRoutes(deps),
  ]
  const document = buildOpenApi([...routes, openApiRoute(() => document)])
  return [...routes, openApiRoute(() => document)]
}

function openApiRoute(document: () => Record<string, unknown>): ApiRoute {
  return {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'The document', contentType: 'application/json' } },
    handle: (c) => c.json(document()),
  }
}

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`)
}

/**
 * The Ferry HTTP API: every route of {@link apiRoutes}, each authenticated, its path ids, query and
 * JSON body checked before the handler runs, and every failure answered as problem+json.
 */
export function createApiApp(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  const routes = apiRoutes(deps)
  app.use('*', securityHeaders())
  app.use(
    '*',
    bodyLimit({
      maxSize: API_BODY_LIMIT,
      onError: (c) =>
        problemResponse(c, new ApiProblem(413, 'body-too-large', `the body exceeds ${API_BODY_LIMIT} bytes`)),
    }),
  )
  for (const route of routes) {
    const readParameters = parameterReader(route)
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const principal = await authenticateRequest(c, deps.db, route.access)
      c.set('principal', principal)
      const { params, query } = readParameters(c)
      const body = route.body ? await readJsonBody(c, route.body) : undefined
      const tenantId = principal?.role === 'tenant' ? (principal.tenantId ?? '') : ''
      return route.handle(c, { principal, tenantId, params, query, body })
    })
  }
  const patterns = routes.map((r) => ({ method: r.method.toUpperCase(), pattern: pathPattern(r.path) }))
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname
    const allowed = patterns.filter((p) => p.pattern.test(path)).map((p) => p.method)
    if (allowed.length > 0)
      return problemResponse(
        c,
        new ApiProblem(
          405,
          'method-not-allowed',
          `${c.req.method} is not allowed on ${path}; use ${allowed.join(', ')}`,
          [],
          {
            allow: allowed.join(', '),
          },
        ),
      )
    return problemResponse(
      c,
      new ApiProblem(404, 'no-route', `no route ${c.req.method} ${path}; see /openapi.json`),
    )
  })
  app.onError((error, c) => {
    if (error instanceof ApiProblem) return problemResponse(c, error)
    if (error instanceof NotFoundError) return problemResponse(c, notFound(error.resource, error.id))
    if (error instanceof HTTPException)
      return problemResponse(
        c,
        new ApiProblem(error.status, 'http-error', error.message || 'request refused'),
      )
    deps.log.error('api request failed', {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    })
    return problemResponse(
      c,
      new ApiProblem(500, 'internal-error', 'the request failed unexpectedly; the error is logged'),
    )
  })
  return app
}

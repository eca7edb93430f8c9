import type { JsonSchema } from '../../core/connector/connector.ts'
import type { ApiRoute } from './api-route.ts'
import { apiSchemas } from './api-schemas.ts'
import { pathParamSchema } from './parameter-reader.ts'

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

/** Hono's `/v1/flows/:flowId` as OpenAPI's `/v1/flows/{flowId}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

function operation(route: ApiRoute) {
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)
  const parameters = [
    ...pathParams.map((name) => ({
      name,
      in: 'path',
      required: true,
      description: route.params?.[name] ?? `The ${name.replace(/Id$/, '')} id`,
      schema: pathParamSchema(route, name),
    })),
    ...Object.entries(route.query ?? {}).map(([name, q]) => ({
      name,
      in: 'query',
      required: q.required ?? false,
      description: q.description,
      schema: q.schema,
    })),
  ]
  const responses: Record<string, unknown> = {}
  for (const [status, r] of Object.entries(route.responses)) {
    const type = r.contentType ?? (r.schema === 'Problem' ? 'application/problem+json' : 'application/json')
    responses[status] = r.schema
      ? {
          description: r.description,
          content: { [type]: { schema: { $ref: `#/components/schemas/${r.schema}` } } },
        }
      : r.contentType
        ? { description: r.description, content: { [type]: { schema: { type: 'string' } } } }
        : { description: r.description }
  }
  if (route.access !== 'public') {
    responses['401'] = problem('Missing, unknown or revoked API key')
    responses['403'] = problem('The key’s role may not use this route')
  }
  if (pathParams.length > 0) responses['404'] = problem('No such resource for this key')
  if (route.body) {
    responses['400'] = problem('Malformed JSON (with its position)')
    responses['413'] = problem('Body larger than 1 MB')
    responses['415'] = problem('Body is not JSON')
    responses['422'] = problem('Body fails its schema; errors[].pointer names each member')
  }
  if (route.query || pathParams.some((p) => !p.endsWith('Id')))
    responses['422'] = problem(
      route.body
        ? 'Body or parameter invalid; errors[].pointer names a body member, errors[].parameter a parameter'
        : 'A parameter is invalid; errors[].parameter names it',
    )
  responses['500'] = problem('Unexpected failure (logged)')
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
          },
        }
      : {}),
    responses,
  }
}

/** The OpenAPI 3.1 document of the API, generated from the route table and the shared schemas. */
export function buildOpenApi(routes: readonly ApiRoute[], version = '0.1.0'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const path = openApiPath(route.path)
    paths[path] ??= {}
    paths[path][route.method] = operation(route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ferry API',
      version,
      description:
        'Operate Ferry: connections, flows, runs, records and their ledger. Errors are RFC 9457 problem+json.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: apiSchemas as Record<string, JsonSchema>,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key: the admin key or a tenant key.' },
      },
    },
  }
}

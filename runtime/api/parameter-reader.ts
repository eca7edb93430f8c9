import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Context } from 'hono'
import type { JsonSchema } from '../../core/connector/connector.ts'
import type { ApiRoute } from './api-route.ts'
import { createApiAjv, isUuid } from './api-schemas.ts'
import { textProblem } from './input-problems.ts'
import { ApiProblem, notFound } from './problem.ts'

const paramAjv = createApiAjv({ coerceTypes: true })

/** The schema of a path parameter: a UUID for `…Id`, else what the route declares, else short text. */
export function pathParamSchema(route: ApiRoute, name: string): JsonSchema {
  if (name.endsWith('Id')) return { type: 'string', format: 'uuid' }
  return route.paramSchemas?.[name] ?? { type: 'string', minLength: 1, maxLength: 1024 }
}

function objectValidator(
  properties: Record<string, JsonSchema>,
  required: string[],
): ValidateFunction | undefined {
  if (Object.keys(properties).length === 0) return undefined
  return paramAjv.compile({ type: 'object', properties, required, additionalProperties: false })
}

function queryValidator(route: ApiRoute): ValidateFunction | undefined {
  if (!route.query) return undefined
  return objectValidator(
    Object.fromEntries(Object.entries(route.query).map(([k, q]) => [k, q.schema])),
    Object.entries(route.query)
      .filter(([, q]) => q.required)
      .map(([k]) => k),
  )
}

function pathValidator(route: ApiRoute): ValidateFunction | undefined {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)]
    .map((m) => m[1]!)
    .filter((n) => !n.endsWith('Id'))
  return objectValidator(Object.fromEntries(names.map((n) => [n, pathParamSchema(route, n)])), names)
}

/** 422 naming each query or path parameter that holds text Ferry cannot store. */
function checkParameterText(values: Record<string, string>): void {
  const errors = Object.entries(values).flatMap(([parameter, value]) => {
    const detail = textProblem(parameter) ?? textProblem(value)
    return detail ? [{ parameter, detail }] : []
  })
  if (errors.length > 0)
    throw new ApiProblem(422, 'invalid-parameter', 'a parameter holds text Ferry cannot store', errors)
}

/** 422 naming each parameter the validator refused. */
function parameterProblem(validate: ValidateFunction): ApiProblem {
  const errors = (validate.errors ?? []).map((e) => {
    const p = e.params as { additionalProperty?: string; missingProperty?: string }
    const parameter = p.additionalProperty ?? p.missingProperty ?? e.instancePath.slice(1)
    return {
      parameter,
      detail: p.additionalProperty ? 'unknown query parameter' : (e.message ?? 'is invalid'),
    }
  })
  return new ApiProblem(422, 'invalid-parameter', 'a parameter is invalid', errors)
}

function readQuery(c: Context, validate: ValidateFunction | undefined): Record<string, unknown> {
  // Every value of a repeated parameter, though handlers read only the first.
  for (const [name, values] of Object.entries(c.req.queries()))
    for (const value of values) checkParameterText({ [name]: value })
  const raw = c.req.query()
  // Validated with coercion in place: handlers read the typed values (limit as a number).
  const query: Record<string, unknown> = { ...raw }
  if (validate && !validate(query)) throw parameterProblem(validate)
  return query
}

function checkPathParams(params: Record<string, string>, validate: ValidateFunction | undefined): void {
  checkParameterText(params)
  for (const [name, value] of Object.entries(params))
    if (name.endsWith('Id') && !isUuid(value))
      throw notFound(
        name.slice(0, -2).replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`),
        value,
      )
  // On a copy: coercion must not change the text the handler reads.
  const others = Object.fromEntries(Object.entries(params).filter(([name]) => !name.endsWith('Id')))
  if (validate && !validate(others)) throw parameterProblem(validate)
}

/**
 * Compiles a route's parameter checks once; the reader then returns its path and query parameters or
 * throws: 422 for text Ferry cannot store (NUL, lone surrogates) and for values outside their schema
 * (each problem names its `parameter`), 404 for an `…Id` that is not a UUID (it cannot name a row).
 */
export function parameterReader(
  route: ApiRoute,
): (c: Context) => { params: Record<string, string>; query: Record<string, unknown> } {
  const validateQuery = queryValidator(route)
  const validatePath = pathValidator(route)
  return (c) => {
    const params = c.req.param() as Record<string, string>
    checkPathParams(params, validatePath)
    return { params, query: readQuery(c, validateQuery) }
  }
}

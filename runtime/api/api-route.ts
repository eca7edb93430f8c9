import type { Context } from 'hono'
import type { JsonSchema } from '../../core/connector/connector.ts'
import type { Principal } from '../store/tenants-store.ts'

/** Who may call a route: nobody in particular, the admin key, a tenant key, or either. */
export type RouteAccess = 'public' | 'admin' | 'tenant' | 'any'

/** The Hono environment of the API: the authenticated principal, when there is one. */
export interface ApiEnv {
  Variables: { principal: Principal | undefined }
}

/** A query parameter: its schema (validated with type coercion) and what it means. */
export interface QueryParam {
  description: string
  schema: JsonSchema
  required?: boolean
}

/** One documented response of a route; `schema` names a component of api-schemas.ts. */
export interface RouteResponse {
  description: string
  schema?: string
  contentType?: string
}

/** What a handler receives once auth, parameters and the body have been checked. */
export interface RouteInput {
  principal: Principal | undefined
  /** The principal's tenant; empty for admin and public routes. */
  tenantId: string
  params: Record<string, string>
  query: Record<string, unknown>
  /** The body, already validated against the route's body schema. */
  body: unknown
}

/**
 * One API route: the single description from which the Hono app is wired and the OpenAPI document is
 * generated, so the two cannot drift apart.
 */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'delete'
  /** Hono path syntax (`/v1/flows/:flowId`). */
  path: string
  operationId: string
  summary: string
  tag: string
  access: RouteAccess
  /** Descriptions of the path parameters other than `…Id` (those are UUIDs). */
  params?: Record<string, string>
  /** Schemas of path parameters (validated with type coercion; default: text of 1 to 1,024 characters). */
  paramSchemas?: Record<string, JsonSchema>
  query?: Record<string, QueryParam>
  /** Name of the component schema the JSON body must satisfy. */
  body?: string
  responses: Record<number, RouteResponse>
  handle(c: Context<ApiEnv>, input: RouteInput): Promise<Response> | Response
}

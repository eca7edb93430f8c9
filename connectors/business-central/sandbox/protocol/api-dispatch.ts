/**
 * Environment-level API routing below `/api/v2.0`: the service document, `$metadata`, companies,
 * subscriptions, and company-scoped paths (by `companies({id})` or `?company=`).
 */
import { apiFields } from '../../api-fields.ts'
import type { Company, SandboxState } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { type Subscriptions, subscriptionWire } from '../webhooks/subscriptions.ts'
import { type ApiRequest, type ApiResponse, jsonAnswer, noContent } from './api-request.ts'
import { BcHttpError } from './bc-http-error.ts'
import { companyApi, type Segment } from './company-api.ts'
import { parseQuery, runQuery } from './odata-query.ts'

/** Splits `companies(4a2b…)/purchaseInvoices` into segments; keys lose their quotes. */
export function parseSegments(path: string): Segment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((raw) => {
      const segment = decodeURIComponent(raw)
      const match = /^([^()]+)(?:\((.*)\))?$/.exec(segment)
      if (!match)
        throw new BcHttpError(
          404,
          'BadRequest_ResourceNotFound',
          `Resource not found for the segment '${segment}'.`,
        )
      const key = match[2]?.replace(/^'(.*)'$/, '$1')
      return key === undefined ? { name: match[1]! } : { name: match[1]!, key }
    })
}

function companyRows(state: SandboxState): Entity[] {
  return [...state.companies.values()].map((c, i) => ({
    id: c.id,
    seq: i,
    version: 1,
    extra: {},
    data: {
      id: c.id,
      systemVersion: '26.0.30643.32481',
      timestamp: 1000 + i,
      name: c.name,
      displayName: c.name,
      businessProfileId: '',
      systemCreatedAt: '2026-01-01T00:00:00Z',
      systemCreatedBy: '00000000-0000-0000-0000-000000000001',
      systemModifiedAt: '2026-01-01T00:00:00Z',
      systemModifiedBy: '00000000-0000-0000-0000-000000000001',
    },
  }))
}

function companyNotFound(): BcHttpError {
  return new BcHttpError(
    404,
    'Internal_CompanyNotFound',
    "Cannot process the request because the default company can't be found. You can specify a default company in the service configuration file, or specify one for each tenant, or you can add a query string in the form of company=[name].",
  )
}

const metadata = () =>
  `<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">${Object.keys(
    apiFields,
  )
    .map((s) => `<EntitySet Name="${s}"/>`)
    .join('')}</Schema></edmx:DataServices></edmx:Edmx>`

/** Serves one operation below `/api/v2.0/`. */
export async function dispatchApi(
  state: SandboxState,
  subscriptions: Subscriptions,
  req: ApiRequest,
  path: string,
): Promise<ApiResponse> {
  const segments = parseSegments(path)
  const [first, ...rest] = segments
  if (!first) {
    const value = Object.keys(apiFields).map((name) => ({ name, kind: 'EntitySet', url: name }))
    return jsonAnswer(200, { '@odata.context': `${req.apiBase}/$metadata`, value })
  }
  if (first.name === '$metadata')
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: metadata() }
  if (first.name === 'subscriptions') return subscriptionsApi(subscriptions, req, first)
  if (first.name === 'companies') {
    if (first.key === undefined) {
      if (req.method !== 'GET')
        throw new BcHttpError(
          405,
          'BadRequest_MethodNotAllowed',
          `'${req.method}' requests for 'companies' are not allowed.`,
        )
      const spec = apiFields.companies!
      const options = parseQuery(req.url.searchParams, spec.properties, 'company', [])
      const result = runQuery(companyRows(state), options, spec.properties, 20_000)
      const value = result.rows.map((r) =>
        options.select ? Object.fromEntries(options.select.map((f) => [f, r.data[f]])) : r.data,
      )
      return jsonAnswer(200, { '@odata.context': `${req.apiBase}/$metadata#companies`, value })
    }
    const company = state.companies.get(first.key.toLowerCase())
    if (!company) throw companyNotFound()
    if (rest.length === 0) return jsonAnswer(200, companyRows(state).find((r) => r.id === company.id)!.data)
    return companyApi(state, req, company, rest)
  }
  const named = req.url.searchParams.get('company')
  let company: Company | undefined
  if (named)
    company = [...state.companies.values()].find((c) => c.id === named.toLowerCase() || c.name === named)
  else if (state.companies.size === 1) company = [...state.companies.values()][0]
  if (!company) throw companyNotFound()
  return companyApi(state, req, company, segments)
}

async function subscriptionsApi(
  subscriptions: Subscriptions,
  req: ApiRequest,
  segment: Segment,
): Promise<ApiResponse> {
  const context = `${req.apiBase}/$metadata#subscriptions`
  const body = (req.body ?? {}) as Record<string, unknown>
  const userId = req.principal.clientId
  if (segment.key === undefined) {
    if (req.method === 'GET') {
      subscriptions.purge()
      const value = [...subscriptions.byId.values()].filter((s) => s.userId === userId).map(subscriptionWire)
      return jsonAnswer(200, { '@odata.context': context, value })
    }
    if (req.method === 'POST')
      return jsonAnswer(201, {
        '@odata.context': context,
        ...subscriptionWire(await subscriptions.create(body, userId)),
      })
    throw new BcHttpError(
      405,
      'BadRequest_MethodNotAllowed',
      `'${req.method}' requests for 'subscriptions' are not allowed.`,
    )
  }
  const sub = subscriptions.get(segment.key)
  if (req.method === 'GET') return jsonAnswer(200, subscriptionWire(sub))
  const ifMatch = req.headers.get('if-match')
  const etag = String(subscriptionWire(sub)['@odata.etag'])
  if (req.method === 'PATCH' && !ifMatch) {
    throw new BcHttpError(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    )
  }
  if (ifMatch && ifMatch !== '*' && ifMatch !== etag)
    throw new BcHttpError(409, 'Request_EntityChanged', 'Another user has already changed the record.')
  if (req.method === 'PATCH')
    return jsonAnswer(200, {
      '@odata.context': context,
      ...subscriptionWire(await subscriptions.renew(sub, body)),
    })
  if (req.method === 'DELETE') {
    subscriptions.byId.delete(sub.subscriptionId)
    return noContent()
  }
  throw new BcHttpError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${req.method}' requests for 'subscriptions' are not allowed.`,
  )
}

/**
 * Answers and rules shared by the company-scoped handlers: BC's not-found and method-not-allowed
 * errors, If-Match checks, and the collection and entity answers with query options applied.
 */
import { apiFields, type EntitySpec } from '../../api-fields.ts'
import { type Company, etagOf, type SandboxState } from '../state/sandbox-state.ts'
import type { Entity, Table } from '../state/table.ts'
import { type ApiRequest, type ApiResponse, jsonAnswer } from './api-request.ts'
import { BcHttpError } from './bc-http-error.ts'
import { equalityHints } from './odata-filter.ts'
import { parseQuery, runQuery } from './odata-query.ts'
import { dimensionParentTypes, toWire } from './wire-record.ts'

/** `purchaseInvoices` → `purchaseInvoice`, as BC names entity types in messages. */
export const entityName = (set: string) => set.replace(/ies$/, 'y').replace(/s$/, '')

/** BC's 405 for a method the entity set does not allow. */
export function methodNotAllowed(method: string, set: string): BcHttpError {
  return new BcHttpError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for '${set}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`,
  )
}

/** BC's 404 `Internal_RecordNotFound` for a missing key. */
export function notFound(set: string, key: string): BcHttpError {
  const caption = entityName(set).replace(/^./, (c) => c.toUpperCase())
  return new BcHttpError(
    404,
    'Internal_RecordNotFound',
    `The ${caption} does not exist. Identification fields and values: Id='${key}'`,
  )
}

/** The catalogue entry of an entity set, or BC's 404 for an unknown segment. */
export function specOf(set: string): EntitySpec {
  const spec = apiFields[set]
  if (!spec?.properties) {
    throw new BcHttpError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${set}'.`)
  }
  return spec
}

/** Checks `If-Match` for PATCH (required) and DELETE (checked when sent). */
export function checkEtag(req: ApiRequest, current: string, required: boolean): void {
  const ifMatch = req.headers.get('if-match')
  if (!ifMatch) {
    if (!required) return
    throw new BcHttpError(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    )
  }
  if (ifMatch.trim() !== '*' && ifMatch.trim() !== current) {
    throw new BcHttpError(409, 'Request_EntityChanged', 'Another user has already changed the record.')
  }
}

/** Serves a collection: filter (through indexes when it can), order, page, select, expand. */
export function listAnswer(
  state: SandboxState,
  req: ApiRequest,
  company: Company,
  set: string,
  candidates: Iterable<Entity> | undefined,
  table: Table,
  context: string,
): ApiResponse {
  const spec = specOf(set)
  const options = parseQuery(
    req.url.searchParams,
    spec.properties,
    entityName(set),
    spec.navigation.concat(navsOf(set)),
  )
  let pool = candidates
  if (!pool && options.filter) {
    // The most selective index among the filter's top-level equalities narrows the scan.
    let best: Set<string> | undefined
    for (const [field, value] of equalityHints(options.filter)) {
      if (!table.isIndexed(field)) continue
      const ids = table.lookup(field, value)
      if (!best || ids.size < best.size) best = ids
    }
    if (best) pool = [...best].map((id) => table.get(id)!)
  }
  pool ??= table.all()
  const preferred = /odata\.maxpagesize=(\d+)/.exec(req.headers.get('prefer') ?? '')
  const pageSize =
    Math.min(20_000, preferred ? Number(preferred[1]) : state.settings.defaultPageSize) || 20_000
  const result = runQuery(pool!, options, spec.properties, pageSize)
  const body: Record<string, unknown> = { '@odata.context': `${req.apiBase}/$metadata#${context}` }
  if (options.count) body['@odata.count'] = result.count
  body.value = result.rows.map((e) => toWire(company, set, e, options.select, options.expand))
  if (result.nextToken) {
    const next = new URL(req.url.href)
    next.searchParams.set('$skiptoken', result.nextToken)
    body['@odata.nextLink'] = next.href.replace(/%24/g, '$')
  }
  const headers: Record<string, string> = preferred
    ? { 'preference-applied': `odata.maxpagesize=${pageSize}` }
    : {}
  return jsonAnswer(200, body, headers)
}

/** Navigation properties the emulator serves beyond the catalogue's list. */
export function navsOf(set: string): string[] {
  if (set === 'dimensions') return ['dimensionValues']
  if (set === 'vendorPaymentJournals') return ['vendorPayments']
  if (dimensionParentTypes[set]) return ['dimensionSetLines']
  return []
}

/** A single entity answer (200, or 201 with Location), with `$select`/`$expand` applied. */
export function entityAnswer(
  req: ApiRequest,
  company: Company,
  set: string,
  entity: Entity,
  status = 200,
): ApiResponse {
  const spec = specOf(set)
  const options = parseQuery(
    req.url.searchParams,
    spec.properties,
    entityName(set),
    spec.navigation.concat(navsOf(set)),
  )
  const body = {
    '@odata.context': `${req.apiBase}/$metadata#companies(${company.id})/${set}/$entity`,
    ...toWire(company, set, entity, options.select, options.expand),
  }
  const headers: Record<string, string> = { etag: etagOf(entity) }
  if (status === 201) headers.location = `${req.apiBase}/companies(${company.id})/${set}(${entity.id})`
  return jsonAnswer(status, body, headers)
}

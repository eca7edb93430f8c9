/**
 * Operations on navigation properties of an entity: document lines (add, change, delete on drafts),
 * dimension set lines (parent-only, keyed by dimension id), payment journal lines.
 */

import { resolveDimensionLine } from '../rules/dimension-set.ts'
import { kindOf } from '../rules/document-kinds.ts'
import { computeLine, precisionOf } from '../rules/document-lines.ts'
import { createPayment } from '../rules/payments.ts'
import { addLine, assertDraft, computeTotals } from '../rules/purchase-documents.ts'
import { type Company, etagOf, type SandboxState, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { type ApiRequest, type ApiResponse, jsonAnswer, noContent } from './api-request.ts'
import { BcHttpError, dialog } from './bc-http-error.ts'
import type { Segment } from './company-api.ts'
import { checkEtag, entityAnswer, listAnswer, methodNotAllowed, notFound } from './entity-answers.ts'
import { validatePayload } from './validate-payload.ts'
import { dimensionParentTypes, navigate } from './wire-record.ts'

/** Serves `{set}({key})/{nav}[({key})]`. */
export function navigationApi(
  state: SandboxState,
  req: ApiRequest,
  company: Company,
  set: string,
  parent: Entity,
  nav: Segment,
  rest: Segment | undefined,
): ApiResponse {
  if (rest)
    throw new BcHttpError(
      404,
      'BadRequest_ResourceNotFound',
      `Resource not found for the segment '${rest.name}'.`,
    )
  const kind = kindOf(set)
  if (nav.name === 'dimensionSetLines') return dimensionLinesApi(state, req, company, set, parent, nav)
  const { childSet, entities } = navigate(company, set, parent, nav.name)
  if (!entities)
    throw new BcHttpError(
      404,
      'BadRequest_ResourceNotFound',
      `Resource not found for the segment '${nav.name}'.`,
    )
  const childTable = company.tables[childSet]!
  const context = `companies(${company.id})/${set}(${parent.id})/${nav.name}`
  if (!nav.key) {
    if (req.method === 'GET') return listAnswer(state, req, company, childSet, entities, childTable, context)
    if (req.method !== 'POST') throw methodNotAllowed(req.method, nav.name)
    if (kind && childSet === kind.lines)
      return entityAnswer(req, company, childSet, addLine(state, company, kind, parent, req.body), 201)
    if (set === 'vendorPaymentJournals')
      return entityAnswer(req, company, childSet, createPayment(state, company, parent, req.body), 201)
    throw methodNotAllowed(req.method, nav.name)
  }
  const child = entities.find((e) => e.id === nav.key!.toLowerCase())
  if (!child) throw notFound(childSet, nav.key)
  if (req.method === 'GET') return entityAnswer(req, company, childSet, child)
  if (kind) assertDraft(kind, parent)
  if (req.method === 'DELETE') {
    checkEtag(req, etagOf(child), false)
    childTable.remove(child)
    if (kind) computeTotals(company, kind, parent, state.settings.vatPerIdentifier)
    touch(state, company, set, parent)
    return noContent()
  }
  if (req.method === 'PATCH') {
    checkEtag(req, etagOf(child), true)
    const { fields } = validatePayload(childSet, req.body)
    for (const immutable of ['documentId', 'sequence', 'lineObjectNumber', 'accountId']) {
      if (fields[immutable] !== undefined && fields[immutable] !== child.data[immutable])
        throw dialog(`The "${immutable}" cannot be changed.`)
    }
    childTable.update(child, fields)
    child.version += 1
    if (kind) {
      computeLine(company, child.data, precisionOf(company, String(parent.data.currencyCode)))
      computeTotals(company, kind, parent, state.settings.vatPerIdentifier)
    }
    touch(state, company, set, parent)
    return entityAnswer(req, company, childSet, child)
  }
  throw methodNotAllowed(req.method, nav.name)
}

function dimensionLinesApi(
  state: SandboxState,
  req: ApiRequest,
  company: Company,
  set: string,
  parent: Entity,
  nav: Segment,
): ApiResponse {
  const kind = kindOf(set)
  const rows = navigate(company, set, parent, 'dimensionSetLines').rows ?? []
  if (req.method === 'GET') {
    if (nav.key) {
      const row = rows.find((r) => r.id === nav.key!.toLowerCase())
      if (!row) throw notFound('dimensionSetLines', nav.key)
      return jsonAnswer(200, row)
    }
    return jsonAnswer(200, { '@odata.context': `${req.apiBase}/$metadata#dimensionSetLines`, value: rows })
  }
  const readOnlyParent = !kind || parent.data.status !== 'Draft'
  if (readOnlyParent) {
    throw dialog(
      `Parent with ID ${parent.id} does not exist or dimension set lines are read only for parent type ${dimensionParentTypes[set] ?? set}.`,
    )
  }
  parent.extra.dims ??= {}
  const dims = parent.extra.dims as Record<string, string>
  if (req.method === 'POST' && !nav.key) {
    const [dimensionId, valueId] = resolveDimensionLine(company, req.body as Record<string, unknown>)
    if (dims[dimensionId]) {
      throw dialog(
        'The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.',
      )
    }
    dims[dimensionId] = valueId
  } else if (nav.key && (req.method === 'PATCH' || req.method === 'DELETE')) {
    const id = nav.key.toLowerCase()
    const row = rows.find((r) => r.id === id)
    if (!row) throw notFound('dimensionSetLines', nav.key)
    checkEtag(req, String(row['@odata.etag']), req.method === 'PATCH')
    if (req.method === 'DELETE') delete dims[id]
    else dims[id] = resolveDimensionLine(company, { ...(req.body as object), id })[1]
  } else throw methodNotAllowed(req.method, 'dimensionSetLines')
  touch(state, company, set, parent)
  if (req.method === 'DELETE') return noContent()
  const id =
    Object.keys(dims).find((d) => d === ((req.body as { id?: string }).id ?? nav.key)?.toLowerCase()) ??
    Object.keys(dims).at(-1)
  const row = (navigate(company, set, parent, 'dimensionSetLines').rows ?? []).find((r) => r.id === id)
  return jsonAnswer(req.method === 'POST' ? 201 : 200, row)
}

/**
 * Company-scoped API operations: `companies({id})/{set}[({key})][/{nav}[({key})]][/Microsoft.NAV.post]`.
 * Handles reads with query options and paging, creates (deep insert), PATCH with If-Match, DELETE,
 * the bound post actions and BC's access rules for parent-only sets.
 */
import { randomUUID } from 'node:crypto'
import { blankRecord } from '../rules/blank-record.ts'
import { kindOf } from '../rules/document-kinds.ts'
import { postDocument } from '../rules/posting.ts'
import { assertDraft, createDocument, updateDocument } from '../rules/purchase-documents.ts'
import { createSalesInvoice, postSalesInvoice } from '../rules/sales-invoices.ts'
import { createVendor } from '../rules/vendors.ts'
import { type Company, etagOf, type SandboxState, stamp, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import type { ApiRequest, ApiResponse } from './api-request.ts'
import { noContent } from './api-request.ts'
import { BcHttpError, dialog } from './bc-http-error.ts'
import { checkEtag, entityAnswer, listAnswer, methodNotAllowed, notFound, specOf } from './entity-answers.ts'
import { journalsApi } from './journals-api.ts'
import { navigationApi } from './navigation-api.ts'
import { validatePayload } from './validate-payload.ts'

/** One segment of a resource path: `purchaseInvoices(3f0c…)` → `{ name, key }`. */
export interface Segment {
  name: string
  key?: string
}

function lookup(company: Company, set: string, key: string | undefined): Entity {
  const table = company.tables[set]
  if (!table)
    throw new BcHttpError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${set}'.`)
  const entity = key ? table.get(key) : undefined
  if (!entity) throw notFound(set, key ?? '')
  return entity
}

/** Creates a plain entity (reference data, payment journals). */
function createPlain(
  state: SandboxState,
  company: Company,
  set: string,
  body: unknown,
  extra: Record<string, unknown> = {},
): Entity {
  const { fields } = validatePayload(set, body)
  const data = blankRecord(set, { ...fields, ...extra, lastModifiedDateTime: stamp(state) })
  const entity = company.tables[set]!.insert(randomUUID(), data)
  touch(state, company, set, entity, 'created')
  return entity
}

/** Handles one company-scoped operation. `segments` follow `companies({id})`. */
export function companyApi(
  state: SandboxState,
  req: ApiRequest,
  company: Company,
  segments: Segment[],
): ApiResponse {
  const [first, second, third] = segments
  if (!first) throw new BcHttpError(404, 'BadRequest_ResourceNotFound', 'Resource not found.')
  const set = first.name
  const context = `companies(${company.id})/${set}`

  if (set === 'journals') return journalsApi(state, req, company, first, second)
  if (set === 'dimensionSetLines')
    throw dialog('You must get to the parent first to get to the dimension set line.')
  const spec = specOf(set)
  const table = company.tables[set]
  if (!table)
    throw new BcHttpError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${set}'.`)

  if (!first.key) {
    if (second?.name === '$count')
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: String(table.rows.size) }
    if (req.method === 'GET') {
      if (
        (set.endsWith('Lines') || set === 'vendorPayments') &&
        !/documentId|journalId|\bid\b/.test(req.url.searchParams.get('$filter') ?? '')
      ) {
        throw set === 'vendorPayments'
          ? dialog('You must specify a journal batch ID or a journal ID to get a journal line.')
          : dialog('You must specify an Id or a Document Id to get the lines.')
      }
      return listAnswer(state, req, company, set, undefined, table, context)
    }
    if (req.method !== 'POST' || !spec.operations.includes('post')) throw methodNotAllowed(req.method, set)
    const kind = kindOf(set)
    if (kind) return entityAnswer(req, company, set, createDocument(state, company, kind, req.body), 201)
    if (set === 'salesInvoices')
      return entityAnswer(req, company, set, createSalesInvoice(state, company, req.body), 201)
    if (set === 'vendors')
      return entityAnswer(
        req,
        company,
        set,
        createVendor(state, company, validatePayload(set, req.body).fields),
        201,
      )
    if (set === 'vendorPayments')
      throw dialog('You must specify a journal batch ID or a journal ID to get a journal line.')
    if (set.endsWith('Lines') || set === 'purchaseOrders') {
      throw new BcHttpError(
        501,
        'BadRequest_MethodNotImplemented',
        `Creating ${set} this way is not emulated by the sandbox.`,
      )
    }
    return entityAnswer(req, company, set, createPlain(state, company, set, req.body), 201)
  }

  const entity = lookup(company, set, first.key)
  if (!second) {
    if (req.method === 'GET') return entityAnswer(req, company, set, entity)
    if (req.method === 'PATCH') {
      if (!spec.operations.includes('patch')) throw methodNotAllowed(req.method, set)
      checkEtag(req, etagOf(entity), true)
      const kind = kindOf(set)
      if (kind) updateDocument(state, company, kind, entity, req.body)
      else {
        const { fields } = validatePayload(set, req.body)
        if (fields.number && fields.number !== entity.data.number && set === 'vendors') {
          throw dialog('You may not change the number of a vendor through the API.')
        }
        if (set === 'salesInvoices' && entity.data.status !== 'Draft')
          throw dialog('The invoice has been posted and can no longer be modified.')
        table.update(entity, fields)
        touch(state, company, set, entity)
      }
      return entityAnswer(req, company, set, entity)
    }
    if (req.method === 'DELETE') {
      if (!spec.operations.includes('delete')) throw methodNotAllowed(req.method, set)
      checkEtag(req, etagOf(entity), false)
      const kind = kindOf(set)
      if (kind) {
        assertDraft(kind, entity)
        const lines = company.tables[kind.lines]!
        for (const id of [...lines.lookup('documentId', entity.id)]) lines.remove(lines.get(id)!)
      }
      if (set === 'salesInvoices') {
        if (entity.data.status !== 'Draft')
          throw dialog('The invoice has been posted and can no longer be modified.')
        const lines = company.tables.salesInvoiceLines!
        for (const id of [...lines.lookup('documentId', entity.id)]) lines.remove(lines.get(id)!)
      }
      table.remove(entity)
      state.onChange(company, set, entity, 'deleted')
      return noContent()
    }
    throw methodNotAllowed(req.method, set)
  }

  if (second.name === 'Microsoft.NAV.post' && set === 'salesInvoices' && req.method === 'POST') {
    postSalesInvoice(state, company, entity)
    return noContent()
  }
  if (second.name === 'Microsoft.NAV.post') {
    const kind = kindOf(set)
    if (req.method !== 'POST' || !kind) {
      throw new BcHttpError(
        400,
        'BadRequest_MethodNotImplemented',
        `Entity '${set}' does not support the bound action 'Microsoft.NAV.post'.`,
      )
    }
    postDocument(state, company, kind, entity)
    return noContent()
  }

  return navigationApi(state, req, company, set, entity, second, third)
}

/**
 * Company-scoped API operations: `companies({id})/{set}[({key})][/{nav}[({key})]][/Microsoft.NAV.post]`.
 * Handles reads with query options and paging, creates (deep insert), PATCH with If-Match, DELETE,
 * the bound post actions and BC's access rules for parent-only sets.
 */
import { randomUUID } from 'node:crypto'
import { apiFields, type EntitySpec } from '../api-fields.ts'
import { type ApiRequest, type ApiResponse, jsonAnswer, noContent } from './api-request.ts'
import { BcHttpError, dialog } from './bc-http-error.ts'
import { blankRecord } from './blank-record.ts'
import { resolveDimensionLine } from './dimension-set.ts'
import { kindOf } from './document-kinds.ts'
import { computeLine, precisionOf } from './document-lines.ts'
import { equalityHints } from './odata-filter.ts'
import { parseQuery, runQuery } from './odata-query.ts'
import { postDocument, postJournal } from './posting.ts'
import { addLine, assertDraft, computeTotals, createDocument, updateDocument } from './purchase-documents.ts'
import { type Company, etagOf, nextNumber, type SandboxState, stamp, today, touch } from './sandbox-state.ts'
import type { Entity, Table } from './table.ts'
import { validatePayload } from './validate-payload.ts'
import { createVendor, findVendor } from './vendors.ts'
import { dimensionParentTypes, navigate, toWire } from './wire-record.ts'

/** One segment of a resource path: `purchaseInvoices(3f0c…)` → `{ name, key }`. */
export interface Segment {
  name: string
  key?: string
}

const entityName = (set: string) => set.replace(/ies$/, 'y').replace(/s$/, '')

function methodNotAllowed(method: string, set: string): BcHttpError {
  return new BcHttpError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for '${set}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`,
  )
}

function notFound(set: string, key: string): BcHttpError {
  const caption = entityName(set).replace(/^./, (c) => c.toUpperCase())
  return new BcHttpError(
    404,
    'Internal_RecordNotFound',
    `The ${caption} does not exist. Identification fields and values: Id='${key}'`,
  )
}

function specOf(set: string): EntitySpec {
  const spec = apiFields[set]
  if (!spec?.properties) {
    throw new BcHttpError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${set}'.`)
  }
  return spec
}

/** Checks `If-Match` for PATCH (required) and DELETE (checked when sent). */
function checkEtag(req: ApiRequest, current: string, required: boolean): void {
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
function listAnswer(
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
function navsOf(set: string): string[] {
  if (set === 'dimensions') return ['dimensionValues']
  if (set === 'vendorPaymentJournals') return ['vendorPayments']
  if (dimensionParentTypes[set]) return ['dimensionSetLines']
  return []
}

function entityAnswer(
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

function createPayment(state: SandboxState, company: Company, journal: Entity, body: unknown): Entity {
  const { fields } = validatePayload('vendorPayments', body)
  const vendor = findVendor(company, fields)
  const payments = company.tables.vendorPayments!
  const existing = [...payments.lookup('journalId', journal.id)].map((id) =>
    Number(payments.get(id)!.data.lineNumber),
  )
  if (fields.appliesToInvoiceId || fields.appliesToInvoiceNumber) {
    const invoices = company.tables.purchaseInvoices!
    const invoice = fields.appliesToInvoiceId
      ? invoices.get(String(fields.appliesToInvoiceId))
      : invoices.get([...invoices.lookup('number', fields.appliesToInvoiceNumber)][0] ?? '')
    if (!invoice || invoice.data.status === 'Draft')
      throw dialog('The invoice you want to apply the payment to must be posted.')
    fields.appliesToInvoiceId = invoice.id
    fields.appliesToInvoiceNumber = invoice.data.number
  }
  const data = blankRecord('vendorPayments', {
    postingDate: today(state),
    documentNumber: nextNumber(company, 'PMT-', 10000),
    ...fields,
    journalId: journal.id,
    journalDisplayName: journal.data.code,
    lineNumber: fields.lineNumber ?? Math.max(0, ...existing) + 10000,
    vendorId: vendor.id,
    vendorNumber: vendor.data.number,
    lastModifiedDateTime: stamp(state),
  })
  const entity = payments.insert(randomUUID(), data)
  touch(state, company, 'vendorPayments', entity, 'created')
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
      table.remove(entity)
      state.onChange(company, set, entity, 'deleted')
      return noContent()
    }
    throw methodNotAllowed(req.method, set)
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

function navigationApi(
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
    if (kind) computeTotals(company, kind, parent)
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
      computeTotals(company, kind, parent)
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

function journalsApi(
  state: SandboxState,
  req: ApiRequest,
  company: Company,
  first: Segment,
  second: Segment | undefined,
): ApiResponse {
  const journals = company.tables.vendorPaymentJournals!
  const wire = (j: Entity) => ({
    '@odata.etag': etagOf(j),
    id: j.id,
    code: j.data.code,
    displayName: j.data.displayName,
    templateDisplayName: 'PAYMENT',
    lastModifiedDateTime: j.data.lastModifiedDateTime,
    balancingAccountId: j.data.balancingAccountId,
    balancingAccountNumber: j.data.balancingAccountNumber,
  })
  if (!first.key) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, 'journals')
    return jsonAnswer(200, {
      '@odata.context': `${req.apiBase}/$metadata#journals`,
      value: journals.all().map(wire),
    })
  }
  const journal = journals.get(first.key)
  if (!journal) throw notFound('journals', first.key)
  if (!second && req.method === 'GET') return jsonAnswer(200, wire(journal))
  if (second?.name === 'Microsoft.NAV.post' && req.method === 'POST') {
    postJournal(state, company, journal)
    return noContent()
  }
  throw methodNotAllowed(req.method, 'journals')
}

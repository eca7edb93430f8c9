/** `journals`: the general journal batches behind payment journals, and their post action. */

import { postJournal } from '../rules/posting.ts'
import { type Company, etagOf, type SandboxState } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { type ApiRequest, type ApiResponse, jsonAnswer, noContent } from './api-request.ts'
import type { Segment } from './company-api.ts'
import { methodNotAllowed, notFound } from './entity-answers.ts'

/** Serves `journals[({id})[/Microsoft.NAV.post]]` (payment journals, template PAYMENT). */
export function journalsApi(
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

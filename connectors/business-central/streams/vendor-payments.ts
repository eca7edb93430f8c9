/**
 * Vendor payments: lines of a vendor payment journal. Created under
 * `vendorPaymentJournals({id})/vendorPayments`; posted with `journals({id})/Microsoft.NAV.post`,
 * which posts the whole journal batch (a vendor payment journal is a general journal batch, same id).
 *
 * Posting deletes the journal line, so `find` also looks for G/L entries with the payment's
 * `documentNumber`: match payments on documentNumber to stay idempotent across posting.
 */
import type { ConnectorContext, Stream } from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { entitySpec } from '../api-fields.ts'
import { callApi, collection } from '../call-api.ts'
import { companyUrl } from '../company-url.ts'
import type { Config } from '../config.ts'
import { decodeRecord } from '../decode-record.ts'
import { equalsAll, quoteString } from '../odata-literal.ts'
import { readCollection } from '../read-collection.ts'
import { recordSchema } from '../record-schema.ts'
import { createEntity } from '../write-entity.ts'

const entitySet = 'vendorPayments'

/** The id of the journal named `code` (or the first vendor payment journal), memoised. */
async function journalId(ctx: ConnectorContext<Config>, code?: string): Promise<string> {
  const key = `bc.paymentJournal.${code ?? ''}`
  const cached = ctx.memo.get(key) as string | undefined
  if (cached) return cached
  const filter = code ? `?$filter=${encodeURIComponent(`code eq ${quoteString(code)}`)}` : ''
  const answer = await callApi(ctx, {
    method: 'GET',
    url: `${await companyUrl(ctx)}/vendorPaymentJournals${filter}`,
  })
  const journal = collection(answer)[0] as { id: string } | undefined
  if (!journal)
    throw new ConnectorError('config', `BC has no vendor payment journal${code ? ` ${code}` : ''}.`)
  ctx.memo.set(key, journal.id)
  return journal.id
}

/** The vendorPayments stream. */
export const vendorPayments: Stream<Config> = {
  description: 'Vendor payment journal lines; post posts the journal. Match on documentNumber.',
  schema: recordSchema(entitySet),
  identity: { key: 'id', version: 'lastModifiedDateTime' },
  async *read(ctx, req) {
    const id = await journalId(ctx, req.query.journal as string | undefined)
    const { journal: _, ...query } = req.query
    yield* readCollection(
      ctx,
      { entitySet, path: `vendorPaymentJournals(${id})/${entitySet}` },
      { ...req, query },
    )
  },
  async find(ctx, match) {
    const id = await journalId(ctx)
    const base = await companyUrl(ctx)
    const filter = encodeURIComponent(
      equalsAll(match as Record<string, string>, entitySpec(entitySet).properties),
    )
    const lines = await callApi(ctx, {
      method: 'GET',
      url: `${base}/vendorPaymentJournals(${id})/${entitySet}?$filter=${filter}`,
    })
    const line = collection(lines)[0] as Record<string, unknown> | undefined
    if (line)
      return {
        id: String(line.id),
        etag: line['@odata.etag'] as string,
        record: decodeRecord(entitySet, line),
      }
    if (typeof match.documentNumber !== 'string') return null
    const byDocument = encodeURIComponent(`documentNumber eq ${quoteString(match.documentNumber)}`)
    const entries = await callApi(ctx, {
      method: 'GET',
      url: `${base}/generalLedgerEntries?$filter=${byDocument}`,
    })
    const entry = collection(entries)[0] as Record<string, unknown> | undefined
    if (!entry) return null
    return {
      id: String(entry.id),
      number: match.documentNumber,
      record: { ...decodeRecord('generalLedgerEntries', entry), posted: true },
    }
  },
  operations: ['create'],
  async write(ctx, req) {
    if (req.operation !== 'create') throw new ConnectorError('config', 'vendorPayments supports create only.')
    const record = { ...req.record }
    const id =
      (record.journalId as string | undefined) ?? (await journalId(ctx, record.journalDisplayName as string))
    delete record.journalId
    delete record.journalDisplayName
    return createEntity(ctx, entitySet, record, `vendorPaymentJournals(${id})/${entitySet}`)
  },
  actions: {
    post: {
      description: 'Posts the payment journal the line is in (journals({id})/Microsoft.NAV.post).',
      isDone: (found) => found.record.posted === true,
      async run(ctx, target) {
        const id = (target.record?.journalId as string | undefined) ?? (await journalId(ctx))
        const answer = await callApi(ctx, {
          method: 'POST',
          url: `${await companyUrl(ctx)}/journals(${id})/Microsoft.NAV.post`,
        })
        return { id: target.id, calls: [answer.summary] }
      },
    },
  },
}

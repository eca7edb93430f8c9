/**
 * Documents with lines (purchase invoices and credit memos, sales invoices): drafts and posted
 * documents live in one entity set.
 *
 * - read: incremental, with lines and dimension set lines expanded;
 * - find: by vendor (customer) + its own document number (drafts and posted alike), preferring a
 *   posted match, so a retried create never duplicates;
 * - create: one deep-insert POST (header + lines, each line may carry `dimensionSetLines`);
 * - post: one `$batch` holding `Microsoft.NAV.post` and a `$select=number,status` read, so a clean
 *   create + post costs exactly two HTTP calls and still returns the posted number.
 */
import type {
  ConnectorContext,
  FoundRecord,
  Stream,
  StreamAction,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { entitySpec } from '../api-fields.ts'
import { callApi, collection } from '../call-api.ts'
import { companyUrl } from '../company-url.ts'
import type { Config } from '../config.ts'
import { decodeRecord } from '../decode-record.ts'
import { batchError, sendBatch } from '../odata-batch.ts'
import { equalsAll } from '../odata-literal.ts'
import { readCollection } from '../read-collection.ts'
import { recordSchema } from '../record-schema.ts'
import { createEntity, payloadOf } from '../write-entity.ts'
import { purchaseDocumentPrecheck } from './purchase-document-precheck.ts'
import { purchaseDocumentReconcile } from './purchase-document-reconcile.ts'

/** What distinguishes one purchase document entity set from another. */
export interface DocumentStreamKind {
  entitySet: string
  lines: string
  /** The field holding the vendor's (or customer's) own document number: what find matches on. */
  documentNumber: string
  /** The party's number field find matches on besides it (default `vendorNumber`). */
  partyNumber?: 'vendorNumber' | 'customerNumber'
  /** Purchase documents reconcile against the source's amounts; sales invoices do not. */
  reconcile?: false
  description: string
}

function expandOf(kind: DocumentStreamKind): string {
  return `${kind.lines}($expand=dimensionSetLines),dimensionSetLines`
}

function found(kind: DocumentStreamKind, body: Record<string, unknown>): FoundRecord {
  return {
    id: String(body.id),
    number: body.number as string,
    etag: body['@odata.etag'] as string,
    record: decodeRecord(kind.entitySet, body),
  }
}

/** The `post` action: posts a draft; already-posted documents count as done. */
function postAction(kind: DocumentStreamKind): StreamAction {
  return {
    description: `Posts the draft (Microsoft.NAV.post): BC assigns the posted number and status Open.`,
    isDone: (doc) => String(doc.record.status ?? 'Draft') !== 'Draft',
    async run(ctx: ConnectorContext<Config>, target) {
      const url = `${await companyUrl(ctx)}/${kind.entitySet}(${target.id})`
      const answers = await sendBatch(
        ctx,
        [
          { id: 'post', method: 'POST', url: `${url}/Microsoft.NAV.post`, body: {} },
          { id: 'read', method: 'GET', url: `${url}?$select=id,number,status` },
        ],
        { continueOnError: true },
      )
      const post = answers.get('post')
      const read = answers.get('read')
      const readBody = read && read.status < 300 ? (read.body as Record<string, unknown>) : undefined
      const posted = readBody && readBody.status !== 'Draft'
      if (!post || post.status >= 300) {
        // A post that timed out after commit is retried as "draft only": the read proves it happened.
        if (!posted) throw batchError(ctx, post, `POST ${kind.entitySet}(${target.id})/Microsoft.NAV.post`)
      }
      return {
        id: target.id,
        number: readBody?.number as string | undefined,
        record: readBody ? decodeRecord(kind.entitySet, readBody) : undefined,
      }
    },
  }
}

/** Builds the stream of one purchase document kind. */
export function documentStream(kind: DocumentStreamKind): Stream<Config> {
  const properties = entitySpec(kind.entitySet).properties
  return {
    description: kind.description,
    schema: recordSchema(kind.entitySet, { [kind.lines]: { dimensionSetLines: {} }, dimensionSetLines: {} }),
    identity: { key: 'id', version: 'lastModifiedDateTime' },
    read: (ctx, req) => readCollection(ctx, { entitySet: kind.entitySet, expand: expandOf(kind) }, req),
    async find(ctx, match) {
      const party = kind.partyNumber ?? 'vendorNumber'
      const partyNumber = match[party]
      const documentNumber = match[kind.documentNumber]
      if (typeof partyNumber !== 'string' || typeof documentNumber !== 'string') {
        throw new ConnectorError('config', `Find ${kind.entitySet} by ${party} and ${kind.documentNumber}.`)
      }
      const filter = equalsAll({ [party]: partyNumber, [kind.documentNumber]: documentNumber }, properties)
      const url = `${await companyUrl(ctx)}/${kind.entitySet}?$filter=${encodeURIComponent(filter)}`
      const answer = await callApi(ctx, { method: 'GET', url })
      const rows = collection(answer) as Record<string, unknown>[]
      const best = rows.find((r) => r.status !== 'Draft') ?? rows[0]
      return best ? found(kind, best) : null
    },
    operations: ['create'],
    async write(ctx, req) {
      if (req.operation !== 'create') {
        throw new ConnectorError(
          'config',
          `${kind.entitySet} supports create only (posted documents are read-only).`,
        )
      }
      return createEntity(ctx, kind.entitySet, req.record)
    },
    maxBatch: 100,
    async writeMany(ctx, reqs: WriteRequest[]): Promise<WriteResult[]> {
      const base = await companyUrl(ctx)
      const operations = reqs.map((req, i) => {
        if (req.operation !== 'create')
          throw new ConnectorError('config', `${kind.entitySet} supports create only.`)
        return {
          id: String(i),
          method: 'POST' as const,
          url: `${base}/${kind.entitySet}`,
          body: payloadOf(req.record),
        }
      })
      const answers = await sendBatch(ctx, operations, { continueOnError: true })
      return reqs.map((_, i) => {
        const answer = answers.get(String(i))
        if (answer && answer.status < 300) {
          const doc = found(kind, answer.body as Record<string, unknown>)
          return { status: 'done', id: doc.id, number: doc.number, etag: doc.etag, record: doc.record }
        }
        return { status: 'failed', error: batchError(ctx, answer, `POST ${kind.entitySet}`) }
      })
    },
    actions: { post: postAction(kind) },
    ...(kind.reconcile === false ? {} : { reconcile: purchaseDocumentReconcile(kind) }),
    // Purchase documents name a vendor, G/L accounts and dimensions a shadow run can check by reading.
    ...(kind.partyNumber === 'customerNumber' ? {} : { precheck: purchaseDocumentPrecheck(kind) }),
  }
}

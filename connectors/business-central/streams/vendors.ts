/**
 * Vendors: read incrementally; create (BC assigns the number from its series) and update with
 * If-Match. Several vendors at once go through one `$batch`.
 */
import type { Stream, WriteRequest, WriteResult } from '../../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../../core/connector/connector-error.ts'
import { entitySpec } from '../api-fields.ts'
import { callApi, collection } from '../call-api.ts'
import { companyUrl } from '../company-url.ts'
import type { Config } from '../config.ts'
import { decodeRecord } from '../decode-record.ts'
import { batchError, sendBatch } from '../odata-batch.ts'
import { equalsAll } from '../odata-literal.ts'
import { readCollection } from '../read-collection.ts'
import { recordSchema } from '../record-schema.ts'
import { createEntity, payloadOf, updateEntity } from '../write-entity.ts'

const entitySet = 'vendors'

/** The vendors stream. */
export const vendors: Stream<Config> = {
  description: 'Vendors (suppliers). Match them by number or taxRegistrationNumber.',
  schema: recordSchema(entitySet),
  identity: { key: 'id', version: 'lastModifiedDateTime' },
  read: (ctx, req) => readCollection(ctx, { entitySet }, req),
  async find(ctx, match) {
    const filter = equalsAll(match as Record<string, string>, entitySpec(entitySet).properties)
    const url = `${await companyUrl(ctx)}/${entitySet}?$filter=${encodeURIComponent(filter)}`
    const answer = await callApi(ctx, { method: 'GET', url })
    const found = collection(answer)[0] as Record<string, unknown> | undefined
    if (!found) return null
    return {
      id: String(found.id),
      number: found.number as string,
      etag: found['@odata.etag'] as string,
      record: decodeRecord(entitySet, found),
    }
  },
  operations: ['create', 'update'],
  async write(ctx, req) {
    if (req.operation === 'create') return createEntity(ctx, entitySet, req.record)
    const id = req.existing?.id ?? (req.record.id as string | undefined)
    if (!id)
      throw new ConnectorError('rejected', 'Updating a vendor needs its id: add match to the manifest.')
    return updateEntity(ctx, entitySet, id, req.record, req.existing?.etag)
  },
  maxBatch: 100,
  async writeMany(ctx, reqs: WriteRequest[]): Promise<WriteResult[]> {
    const base = await companyUrl(ctx)
    const creates = reqs.map((req, i) => ({ req, i })).filter(({ req }) => req.operation === 'create')
    const results: WriteResult[] = new Array(reqs.length)
    if (creates.length > 0) {
      const operations = creates.map(({ req, i }) => ({
        id: String(i),
        method: 'POST' as const,
        url: `${base}/${entitySet}`,
        body: payloadOf(req.record),
      }))
      const answers = await sendBatch(ctx, operations, { continueOnError: true })
      for (const { i } of creates) {
        const answer = answers.get(String(i))
        if (answer && answer.status < 300) {
          const body = answer.body as Record<string, unknown>
          results[i] = {
            status: 'done',
            id: String(body.id),
            number: body.number as string,
            etag: body['@odata.etag'] as string,
            record: decodeRecord(entitySet, body),
          }
        } else results[i] = { status: 'failed', error: batchError(ctx, answer, `POST ${entitySet}`) }
      }
    }
    for (const [i, req] of reqs.entries()) {
      if (req.operation === 'create') continue
      results[i] = await vendors.write!(ctx, req).catch((error: unknown) => {
        if (isConnectorError(error) && !error.retryable) return { status: 'failed' as const, error }
        throw error
      })
    }
    return results
  },
}

import { RECORD_STATES } from '../../core/record/record-state.ts'
import { listEvents } from '../store/ledger-store.ts'
import {
  getTenantRecord,
  listRecords,
  ownedRecordIds,
  type RecordCursor,
  type RecordFilter,
  recordIdsMatching,
} from '../store/records-queries.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute, QueryParam } from './api-route.ts'
import { isDateTime, isUuid } from './api-schemas.ts'
import { ApiProblem, notFound } from './problem.ts'

/** The most records one replay request may move (a filter matching more is refused, not truncated). */
export const REPLAY_LIMIT = 10_000

const states = [...RECORD_STATES]
const filterQuery: Record<string, QueryParam> = {
  flow: { description: 'Only records of this flow', schema: { type: 'string', format: 'uuid' } },
  state: { description: 'Only records in this state', schema: { enum: states } },
  from: { description: 'Changed at or after (ISO 8601)', schema: { type: 'string', format: 'date-time' } },
  to: { description: 'Changed before (ISO 8601)', schema: { type: 'string', format: 'date-time' } },
  key: { description: 'Only this source key', schema: { type: 'string', minLength: 1 } },
  document: {
    description:
      'A document number, matched exactly: the target’s number or any top-level text of the source record (a vendor invoice number, a supplier code)',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
  shadow: {
    description: 'Shadow records (read while the flow ran in shadow) instead of live ones',
    schema: { type: 'boolean', default: false },
  },
  limit: {
    description: 'Page size (default 50)',
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
  cursor: { description: 'nextCursor of the previous page', schema: { type: 'string' } },
}

const encodeCursor = (c: RecordCursor) => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url')

/** PostgreSQL's timestamptz text (`2026-12-02 04:40:03.074123+00`, what cursors carry) as RFC 3339. */
const rfc3339 = (text: string) => text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')

function decodeCursor(text: string): RecordCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string]
    if (typeof at === 'string' && isDateTime(rfc3339(at)) && typeof id === 'string' && isUuid(id))
      return { at, id }
  } catch {}
  throw new ApiProblem(422, 'invalid-parameter', 'the cursor is not one this API issued', [
    { parameter: 'cursor', detail: 'pass nextCursor from the previous page unchanged' },
  ])
}

/** Tenant routes: records, their ledger, and replay. */
export function recordsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/records',
      operationId: 'listRecords',
      summary: 'List records by flow, state, time and key, newest change first (cursor-paginated)',
      tag: 'records',
      access: 'tenant',
      query: filterQuery,
      responses: { 200: { description: 'One page', schema: 'RecordList' } },
      handle: async (c, { tenantId, query }) => {
        const limit = Number(query.limit ?? 50)
        const filter: RecordFilter = {
          flowId: query.flow as string | undefined,
          state: query.state as string | undefined,
          from: query.from as string | undefined,
          to: query.to as string | undefined,
          key: query.key as string | undefined,
          document: query.document as string | undefined,
          shadow: query.shadow === true,
        }
        const after = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : undefined
        const rows = await listRecords(deps.db, tenantId, filter, { limit: limit + 1, after })
        const page = rows.slice(0, limit)
        const last = page.at(-1)
        return c.json({
          items: page.map(({ cursorAt: _, ...r }) => r),
          nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
        })
      },
    },
    {
      method: 'get',
      path: '/v1/records/:recordId',
      operationId: 'getRecord',
      summary: 'Get a record with its whole ledger',
      tag: 'records',
      access: 'tenant',
      responses: {
        200: { description: 'The record and its ledger, oldest event first', schema: 'RecordDetail' },
      },
      handle: async (c, { tenantId, params }) => {
        const record = await getTenantRecord(deps.db, tenantId, params.recordId!)
        if (!record) throw notFound('record', params.recordId!)
        const { tenantId: _, ...rest } = record
        return c.json({ record: rest, ledger: await listEvents(deps.db, record.id) })
      },
    },
    {
      method: 'post',
      path: '/v1/records/replay',
      operationId: 'replayRecords',
      summary: 'Deliver records again, by ids or by filter, with their pinned or the latest flow version',
      tag: 'records',
      access: 'tenant',
      body: 'Replay',
      responses: { 202: { description: 'How many were queued again', schema: 'ReplayResult' } },
      handle: async (c, { tenantId, body }) => {
        const input = body as { ids?: string[]; filter?: RecordFilter; version: 'pinned' | 'latest' }
        let ids: string[]
        if (input.ids) {
          ids = [...new Set(input.ids)]
          const owned = await ownedRecordIds(deps.db, tenantId, ids)
          const unknown = ids.filter((id) => !owned.has(id))
          if (unknown.length > 0)
            throw new ApiProblem(
              404,
              'not-found',
              `${unknown.length} record(s) not found; nothing was replayed`,
              unknown.slice(0, 50).map((id) => ({
                pointer: `/ids/${input.ids!.indexOf(id)}`,
                detail: `record ${id} not found`,
              })),
            )
        } else {
          ids = await recordIdsMatching(deps.db, tenantId, input.filter ?? {}, REPLAY_LIMIT + 1)
          if (ids.length > REPLAY_LIMIT)
            throw new ApiProblem(
              422,
              'too-many-records',
              `the filter matches more than ${REPLAY_LIMIT} records; narrow it`,
              [{ pointer: '/filter', detail: `matches more than ${REPLAY_LIMIT} records` }],
            )
        }
        const result =
          ids.length === 0
            ? { queued: 0, skipped: 0 }
            : await deps.flowControl.replay(tenantId, ids, { version: input.version })
        return c.json({ matched: ids.length, ...result }, 202)
      },
    },
  ]
}

import { createHmac, timingSafeEqual } from 'node:crypto'
import { type ConnectorContext, defineConnector, type Stream } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { type MemoryFault, type MemoryRecord, type MemorySystem, memorySystem } from './memory-system.ts'

/** Config of an in-memory connection. */
export interface MemoryConfig {
  systemId: string
  token: string
}

const system = (ctx: ConnectorContext<MemoryConfig>) => memorySystem(ctx.config.systemId)

function authorise(ctx: ConnectorContext<MemoryConfig>) {
  if (ctx.config.token !== 'memory-secret')
    throw new ConnectorError('auth', 'the in-memory system refused the token')
}

function failIfArmed(sys: MemorySystem, operation: MemoryFault['operation'], effect?: () => void) {
  const fault = sys.takeFault(operation)
  if (!fault) return
  if (fault.afterEffect) effect?.()
  throw new ConnectorError(fault.kind, fault.message ?? `injected ${fault.kind} on ${operation}`, {
    retryAfterMs: fault.retryAfterMs,
    remoteCode: fault.kind === 'rejected' ? 'Memory_Rejected' : undefined,
    remoteMessage: fault.message,
  })
}

function stream(
  table: string,
  options: { post?: boolean; claim?: boolean; maxBatch?: number } = {},
): Stream<MemoryConfig> {
  const base = tableStream(table, options)
  if (!options.maxBatch) return base
  return {
    ...base,
    maxBatch: options.maxBatch,
    // A bulk import: one call for many records; a record with `invalid: true` fails alone.
    async writeMany(ctx, reqs) {
      authorise(ctx)
      const sys = system(ctx)
      sys.count(`writeMany:${table}`)
      sys.batches.push(reqs.length)
      failIfArmed(sys, 'write')
      return reqs.map((req) => {
        if (req.record.invalid)
          return {
            status: 'failed' as const,
            error: new ConnectorError('rejected', `record ${String(req.record.id)} is invalid`, {
              remoteCode: 'Memory_Invalid',
            }),
          }
        const id = String(req.record.id ?? sys.nextId(table))
        sys.table(table).set(id, { ...req.record, id, updatedAt: sys.tick() } as MemoryRecord)
        return { status: 'done' as const, id }
      })
    },
  }
}

function tableStream(table: string, options: { post?: boolean; claim?: boolean }): Stream<MemoryConfig> {
  return {
    description: `in-memory table ${table}`,
    schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    identity: { key: 'id', version: 'updatedAt' },
    async *read(ctx, req) {
      authorise(ctx)
      const sys = system(ctx)
      const pageSize = req.pageSize ?? 50
      let since = req.cursor ?? ''
      for (;;) {
        sys.count(`read:${table}`)
        failIfArmed(sys, 'read')
        const rows = [...sys.table(table).values()]
          .filter((r) => (req.ids ? req.ids.includes(r.id) : r.updatedAt > since))
          .filter((r) => !req.query.status || r.status === req.query.status)
          .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))
          .slice(0, pageSize)
        if (rows.length === 0) return
        since = rows.at(-1)!.updatedAt
        yield { records: rows.map((r) => structuredClone(r)), cursor: since }
        if (rows.length < pageSize || req.ids) return
      }
    },
    async claim(ctx, record) {
      const sys = system(ctx)
      sys.count(`claim:${table}`)
      failIfArmed(sys, 'claim')
      const id = String(record.id)
      if (sys.claims.has(id)) return 'already'
      sys.claims.add(id)
      return 'claimed'
    },
    async find(ctx, match) {
      authorise(ctx)
      const sys = system(ctx)
      sys.count(`find:${table}`)
      failIfArmed(sys, 'find')
      const hit = [...sys.table(table).values()].find((r) =>
        Object.entries(match).every(([k, v]) => r[k] === v),
      )
      return hit
        ? { id: hit.id, number: hit.number as string | undefined, record: structuredClone(hit) }
        : null
    },
    operations: ['create', 'update', 'upsert', 'delete'],
    async write(ctx, req) {
      authorise(ctx)
      const sys = system(ctx)
      sys.count(`write:${table}`)
      if (table === 'async') {
        failIfArmed(sys, 'write')
        sys.pending.set(req.idempotencyKey, { record: req.record })
        return { status: 'pending', correlationId: req.idempotencyKey }
      }
      const store = () => {
        const id = req.existing?.id ?? String(req.record.id ?? sys.nextId(table))
        const stored = {
          ...req.record,
          id,
          status: req.record.status ?? 'Draft',
          updatedAt: sys.tick(),
        } as MemoryRecord
        sys.table(table).set(id, stored)
        return stored
      }
      failIfArmed(sys, 'write', store)
      if (req.operation === 'delete') {
        sys.table(table).delete(String(req.existing?.id ?? req.record.id))
        return { status: 'done', id: String(req.existing?.id ?? req.record.id) }
      }
      const stored = store()
      return { status: 'done', id: stored.id, number: stored.number as string | undefined }
    },
    actions: options.post
      ? {
          post: {
            description: 'posts a draft: assigns a number, status Posted',
            isDone: (found) => found.record.status === 'Posted',
            async run(ctx, target) {
              const sys = system(ctx)
              sys.count(`post:${table}`)
              const row = sys.table(table).get(target.id)
              if (!row) throw new ConnectorError('not_found', `no ${table} ${target.id}`)
              if (row.status === 'Posted')
                throw new ConnectorError('rejected', `${target.id} is already posted`, {
                  remoteCode: 'Memory_AlreadyPosted',
                })
              failIfArmed(sys, 'post')
              row.status = 'Posted'
              row.number = `P-${target.id}`
              row.updatedAt = sys.tick()
              return { id: row.id, number: String(row.number) }
            },
          },
        }
      : undefined,
  }
}

/** The in-memory connector: the whole contract, no network; tests arm faults on its {@link MemorySystem}. */
export const memoryConnector = defineConnector<MemoryConfig>({
  id: 'memory',
  title: 'In-memory test system',
  configSchema: {
    type: 'object',
    required: ['systemId', 'token'],
    properties: { systemId: { type: 'string' }, token: { type: 'string', writeOnly: true } },
    additionalProperties: false,
  },
  async check(ctx) {
    authorise(ctx)
    return { details: { systemId: ctx.config.systemId } }
  },
  streams: {
    invoices: stream('invoices', { claim: true }),
    documents: stream('documents', { post: true }),
    async: stream('async'),
    masters: stream('masters', { maxBatch: 3 }),
  },
  acknowledge: {
    result: {
      description: 'records the outcome on the source system',
      async send(ctx, req) {
        const sys = system(ctx)
        sys.count('acknowledge')
        failIfArmed(sys, 'acknowledge')
        sys.acknowledgements.push({
          recordId: String(req.record.id),
          payload: req.payload,
          idempotencyKey: req.idempotencyKey,
        })
        return {}
      },
    },
  },
  webhooks: {
    async verify(ctx, req) {
      const expected = createHmac('sha256', ctx.config.token).update(req.body).digest()
      const given = Buffer.from(req.headers['x-memory-signature'] ?? '', 'hex')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ConnectorError('auth', 'webhook signature does not match')
      }
      return {}
    },
    async parse(_ctx, req) {
      let body: { stream: string; ids?: string[]; outcome?: { id: string; ok: boolean } }
      try {
        body = JSON.parse(Buffer.from(req.body).toString('utf8'))
      } catch {
        throw new ConnectorError('rejected', 'the in-memory webhook body is not JSON')
      }
      if (body.outcome) {
        return [
          {
            type: 'outcome',
            outcome: body.outcome.ok
              ? { correlationId: body.outcome.id, status: 'done', id: `A-${body.outcome.id.slice(0, 6)}` }
              : {
                  correlationId: body.outcome.id,
                  status: 'failed',
                  error: new ConnectorError('rejected', 'the async system refused it'),
                },
          },
        ]
      }
      return [{ type: 'changed', stream: body.stream, ids: body.ids }]
    },
  },
  outcomes: {
    pollAfterMs: 1000,
    async poll(ctx, pending) {
      const sys = system(ctx)
      return pending.map(({ correlationId }) => {
        const p = sys.pending.get(correlationId)
        if (p?.outcome === 'done')
          return { correlationId, status: 'done' as const, id: `A-${correlationId.slice(0, 6)}` }
        if (p?.outcome === 'failed')
          return {
            correlationId,
            status: 'failed' as const,
            error: new ConnectorError('rejected', 'refused'),
          }
        return { correlationId, status: 'pending' as const }
      })
    },
  },
  limits: { concurrency: 4 },
})

export type { MemoryRecord }

/**
 * One stream of a declared connector as the contract's Stream: read (see read-pages.ts), find by the
 * flow's match fields, write operations with the id and number read from the answer, and actions on
 * a written record. Everything is compiled once, when the connector is built.
 */
import type {
  ConnectorContext,
  FoundRecord,
  Stream,
  StreamAction,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { ActionSpec, StreamSpec, WriteSpec } from '../../core/manifest/connector-stream-schema.ts'
import { compileExpression, type Evaluate, isNothing } from './compile-expression.ts'
import { type CompiledPaging, type CompiledRead, readPages } from './read-pages.ts'
import { selectRecords } from './select-records.ts'
import { type Answer, compileRequest, type HttpRuntime, sendRequest } from './send-request.ts'

const DEFAULT_METHOD: Record<WriteOperation, string> = {
  create: 'POST',
  update: 'PATCH',
  upsert: 'PUT',
  delete: 'DELETE',
}

interface ResultReaders {
  id?: Evaluate
  number?: Evaluate
  etag?: Evaluate
  record?: Evaluate
}

function resultReaders(
  spec: Pick<WriteSpec, 'id' | 'number' | 'etag' | 'record'>,
  where: string,
): ResultReaders {
  const compile = (field: 'id' | 'number' | 'etag' | 'record') =>
    spec[field] ? compileExpression(spec[field]!, `${where}.${field}`) : undefined
  return { id: compile('id'), number: compile('number'), etag: compile('etag'), record: compile('record') }
}

const asText = (v: unknown) => (isNothing(v) || v === '' ? undefined : String(v))

/** What an answer says about the record it wrote or acted on. */
async function readResult(
  readers: ResultReaders,
  answer: Answer,
  fallbackId: string | undefined,
  where: string,
  request: Record<string, unknown>,
) {
  const body = answer.body ?? {}
  // `$headers` and `$status` describe the answer; `$record`, `$existing`, `$id` what was sent.
  const vars = { ...request, headers: Object.fromEntries(answer.headers), status: answer.status }
  const id = asText(readers.id ? await readers.id(body, vars) : (body as { id?: unknown }).id) ?? fallbackId
  if (id === undefined)
    throw new ConnectorError(
      'config',
      `${where}: the answer (${answer.status}) carries no id; set ${where}.id to where it is`,
    )
  const record = readers.record ? await readers.record(body, vars) : body
  return {
    id,
    number: readers.number ? asText(await readers.number(body, vars)) : undefined,
    etag: readers.etag ? asText(await readers.etag(body, vars)) : (answer.headers.get('etag') ?? undefined),
    record:
      record && typeof record === 'object' && !Array.isArray(record)
        ? (record as Record<string, unknown>)
        : undefined,
    calls: [answer.summary],
  }
}

function compilePaging(
  paging: NonNullable<StreamSpec['read']>['paging'],
  where: string,
): CompiledPaging | undefined {
  if (!paging) return undefined
  if ('nextLink' in paging)
    return { style: 'nextLink', link: compileExpression(paging.nextLink, `${where}.nextLink`) }
  if ('linkHeader' in paging) return { style: 'linkHeader', rel: paging.linkHeader }
  if ('offset' in paging) return { style: 'offset', param: paging.offset.param }
  if ('pageNumber' in paging)
    return { style: 'pageNumber', param: paging.pageNumber.param, start: paging.pageNumber.start ?? 1 }
  const next = paging.token.next
  return {
    style: 'token',
    next:
      'body' in next
        ? { body: compileExpression(next.body, `${where}.token.next.body`) }
        : { header: next.header },
    send: paging.token.send,
  }
}

function compileRead(spec: NonNullable<StreamSpec['read']>, where: string): CompiledRead {
  return {
    request: compileRequest(spec, 'GET', where),
    records: spec.records ? compileExpression(spec.records, `${where}.records`) : undefined,
    filter: spec.filter ? compileExpression(spec.filter, `${where}.filter`) : undefined,
    paging: compilePaging(spec.paging, `${where}.paging`),
    pageSize: spec.pageSize,
    incremental: spec.incremental
      ? {
          cursor: compileExpression(spec.incremental.cursor, `${where}.incremental.cursor`),
          param: spec.incremental.param,
        }
      : undefined,
    emptyOn: spec.emptyOn ?? [],
    byIds: spec.byIds
      ? {
          request: compileRequest(spec.byIds, 'GET', `${where}.byIds`),
          records: spec.byIds.records
            ? compileExpression(spec.byIds.records, `${where}.byIds.records`)
            : undefined,
          emptyOn: spec.byIds.emptyOn ?? [],
        }
      : undefined,
  }
}

/** Which actions a found record has already been through (the contract's `isDone` is synchronous). */
const actionsDone = new WeakMap<FoundRecord, Set<string>>()

function compileAction(
  rt: HttpRuntime,
  name: string,
  spec: ActionSpec,
  where: string,
): StreamAction & { done?: Evaluate } {
  const request = compileRequest(spec, 'POST', where)
  const readers = resultReaders(spec, where)
  return {
    description: spec.description,
    done: spec.done ? compileExpression(spec.done, `${where}.done`) : undefined,
    isDone: spec.done ? (found) => actionsDone.get(found)?.has(name) ?? false : undefined,
    async run(ctx, target) {
      const context = { config: ctx.config, id: target.id, etag: target.etag, record: target.record }
      const answer = await sendRequest(rt, ctx, request, context)
      return readResult(readers, answer, target.id, where, { id: target.id, record: target.record })
    },
  }
}

/** Builds the contract Stream of `streams.<name>`. */
export function declaredStream(rt: HttpRuntime, name: string, spec: StreamSpec): Stream {
  const where = `streams.${name}`
  const stream: Stream = {
    description: spec.description,
    schema: spec.schema ?? { type: 'object' },
    ...(spec.identity ? { identity: { ...spec.identity } } : {}),
  }
  if (spec.read) {
    const read = compileRead(spec.read, `${where}.read`)
    stream.read = (ctx, req) => readPages(rt, read, ctx, req)
  }
  const actions = Object.entries(spec.actions ?? {}).map(
    ([action, a]) => [action, compileAction(rt, action, a, `${where}.actions.${action}`)] as const,
  )
  if (actions.length) stream.actions = Object.fromEntries(actions)
  if (spec.find) {
    const find = spec.find
    const request = compileRequest(find, 'GET', `${where}.find`)
    const records = find.records ? compileExpression(find.records, `${where}.find.records`) : undefined
    const readers = resultReaders(find, `${where}.find`)
    stream.find = async (ctx, match) => {
      const answer = await sendRequest(
        rt,
        ctx,
        request,
        { config: ctx.config, match },
        { expect: find.emptyOn },
      )
      if (answer.status >= 300) return null
      const [record] = await selectRecords(answer.body, records)
      if (!record) return null
      const id = asText(readers.id ? await readers.id(record) : record.id)
      if (id === undefined)
        throw new ConnectorError('config', `${where}.find: the found record has no id; set ${where}.find.id`)
      const found: FoundRecord = {
        id,
        number: readers.number ? asText(await readers.number(record)) : undefined,
        etag: readers.etag ? asText(await readers.etag(record)) : undefined,
        record,
      }
      const done = new Set<string>()
      for (const [action, a] of actions) if (a.done && (await a.done(record))) done.add(action)
      actionsDone.set(found, done)
      return found
    }
  }
  if (spec.write) {
    const operations = Object.entries(spec.write).map(([op, w]) => {
      const operation = op as WriteOperation
      const at = `${where}.write.${operation}`
      return [
        operation,
        {
          spec: w,
          request: compileRequest(w, DEFAULT_METHOD[operation], at),
          readers: resultReaders(w, at),
          at,
        },
      ] as const
    })
    const byOperation = new Map(operations)
    stream.operations = operations.map(([op]) => op)
    stream.write = async (ctx: ConnectorContext, req: WriteRequest): Promise<WriteResult> => {
      const op = byOperation.get(req.operation)
      if (!op)
        throw new ConnectorError(
          'config',
          `${where} cannot ${req.operation}; it declares ${stream.operations!.join(', ')}`,
        )
      const existing = req.existing ? { ...req.existing } : undefined
      const context = { config: ctx.config, record: req.record, existing, idempotencyKey: req.idempotencyKey }
      const headers = op.spec.idempotencyHeader
        ? { [op.spec.idempotencyHeader]: req.idempotencyKey }
        : undefined
      const body = op.request.body || req.operation === 'delete' ? undefined : req.record
      const answer = await sendRequest(rt, ctx, op.request, context, { headers, body })
      const sent = { record: req.record, existing }
      return { status: 'done', ...(await readResult(op.readers, answer, existing?.id, op.at, sent)) }
    }
  }
  return stream
}

/**
 * A mapping child process: evaluates batches of tenant JSONata for the mapping pool, one batch at a time,
 * under a V8 heap limit set by the parent. The items of a batch run a few at a time, so their
 * `$lookupTable` calls, asked of the parent, travel together: one message per turn of this event loop.
 * Runs with `node --import tsx` from the sources, or as dist/cli/mapping-child.js from the CLI build.
 */
import { type CompiledMapping, compileMapping } from '../../core/mapping/compile-mapping.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import { isMappingError, MappingError, type MappingPosition } from '../../core/mapping/mapping-error.ts'
import type {
  EvaluateRequest,
  FromChild,
  ItemResult,
  LookupAnswer,
  LookupQuestion,
  ShippedTable,
  TaskRequest,
  ToChild,
} from './pool-protocol.ts'

/** Items of one batch evaluated at once: enough to share lookup round trips, few enough that the
 * interleaving does not stretch any one item's wall-clock time much. */
const IN_FLIGHT = 4

const FLUSH_MS = 50

const send = (message: FromChild) => process.send!(message)
const pending = new Map<number, (answer: LookupAnswer) => void>()
let nextLookup = 0

/**
 * Collects what one turn of the event loop produced and sends it as one message. Items that finish
 * within one turn (no lookups: a whole batch may) are sent every {@link FLUSH_MS} all the same, so the
 * parent sees progress and keeps what finished if a later item gets stuck.
 */
function outbox<T>(flush: (items: T[]) => void): (item: T) => void {
  let queued: T[] = []
  let since = 0
  const drain = () => {
    const items = queued
    queued = []
    if (items.length > 0) flush(items)
  }
  return (item) => {
    if (queued.length === 0) {
      since = Date.now()
      setImmediate(drain)
    }
    queued.push(item)
    if (Date.now() - since > FLUSH_MS) drain()
  }
}

/** Lookup-table rows the parent sent, by id, kept for later batches (the parent sends an id it sent before). */
const rowCache = new Map<number, ReadonlyMap<string, unknown>>()
const ROW_CACHE_SIZE = 64

function rememberRows(id: number, rows: ReadonlyMap<string, unknown> | undefined) {
  const known = rows ?? rowCache.get(id)
  if (!known) return undefined
  rowCache.delete(id)
  rowCache.set(id, known)
  if (rowCache.size > ROW_CACHE_SIZE) rowCache.delete(rowCache.keys().next().value!)
  return known
}

/**
 * The batch's lookups: keys of the tables sent with it (`shipped`) are answered here — missing keys too when
 * a table is complete; the rest are asked of the parent, a turn's worth per message, each key once per batch.
 */
function lookupsFor(id: number, shipped: readonly ShippedTable[] = []): LookupResolver {
  const answers = new Map<string, Promise<unknown>>()
  const where = new Map<string, string>()
  // Rows the parent sent for this batch; asked for with the first question about each table not sent.
  const tables = new Map<string, ReadonlyMap<string, unknown>>()
  const complete = new Set<string>()
  const rowsAsked = new Set<string>()
  const lost = new Set<string>()
  for (const table of shipped) {
    const rows = rememberRows(table.rowsId, table.rows)
    if (!rows) {
      lost.add(table.table)
      continue
    }
    tables.set(table.table, rows)
    rowsAsked.add(table.table)
    if (table.complete) complete.add(table.table)
    if (table.where !== undefined) where.set(table.table, table.where)
  }
  const ask = outbox<LookupQuestion>((questions) => send({ kind: 'lookups', id, questions }))
  const resolve: LookupResolver = (table, key) => {
    const found = tables.get(table)?.get(String(key))
    if (found !== undefined && found !== null) return found
    if (complete.has(table)) return undefined
    // The same key asked by several records of the batch is asked of the parent once.
    const memo = `${table}\u0000${typeof key}\u0000${JSON.stringify(key)}`
    let answer = answers.get(memo)
    if (!answer) {
      const rows = !rowsAsked.has(table)
      rowsAsked.add(table)
      answer = new Promise<unknown>((resolveAnswer, reject) => {
        const lookupId = nextLookup++
        pending.set(lookupId, (a) => {
          const rows = a.rowsId === undefined ? undefined : rememberRows(a.rowsId, a.rows)
          if (rows) tables.set(table, rows)
          if (a.where !== undefined) where.set(table, a.where)
          if (a.error) reject(new MappingError(a.error.code ?? 'lookup_failed', a.error.message))
          else resolveAnswer(a.value)
        })
        ask({
          lookupId,
          table,
          key,
          ...(rows ? { rows } : {}),
          ...(rows && lost.has(table) ? { resend: true } : {}),
        })
      })
      answers.set(memo, answer)
    }
    return answer
  }
  resolve.describe = (table) => where.get(table)
  return resolve
}

function failure(thrown: unknown): NonNullable<ItemResult['error']> {
  const error = isMappingError(thrown)
    ? thrown
    : new MappingError('mapping_failed', thrown instanceof Error ? thrown.message : String(thrown))
  return { code: error.code, message: error.message, position: error.position, token: error.token }
}

async function evaluate(request: EvaluateRequest): Promise<void> {
  const report = outbox<ItemResult>((results) => send({ kind: 'results', id: request.id, results }))
  const compiled: (CompiledMapping | ItemResult['error'])[] = request.expressions.map((e) => {
    try {
      return compileMapping(e.source, {
        timeoutMs: e.timeoutMs,
        ...(e.maxDepth === undefined ? {} : { maxDepth: e.maxDepth }),
        ...(e.name === undefined ? {} : { name: e.name }),
      })
    } catch (thrown) {
      return failure(thrown)
    }
  })
  const lookup = request.lookups ? lookupsFor(request.id, request.tables) : undefined
  const expression = (expr: number): CompiledMapping => {
    const mapping = compiled[expr]
    if (mapping && 'evaluate' in mapping) return mapping
    throw new MappingError(mapping?.code ?? 'mapping_failed', mapping?.message ?? 'no such expression', {
      position: mapping?.position as MappingPosition | undefined,
      token: mapping?.token,
    })
  }
  let next = 0
  const lane = async () => {
    while (next < request.items.length) {
      const index = next++
      const item = request.items[index]!
      try {
        const env = { lookup, recordKey: item.recordKey, vars: item.vars }
        if (item.when !== undefined && !(await expression(item.when).evaluate(item.input, env))) {
          report({ index, skipped: true })
          continue
        }
        const mapping = expression(item.expr)
        const value = await mapping.evaluate(item.input, env)
        const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null')
        if (bytes > request.maxOutputBytes) {
          throw new MappingError(
            'output_limit',
            `${mapping.name ? `${mapping.name}: ` : ''}the mapping's result is ${bytes} bytes, over the ${request.maxOutputBytes}-byte output limit`,
          )
        }
        report({ index, value })
      } catch (thrown) {
        report({ index, error: failure(thrown) })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, request.items.length) }, lane))
}

/** Runs a task; its modules load on first use, so a child that only maps never loads them. */
async function runTask(request: TaskRequest): Promise<void> {
  let result: ItemResult
  try {
    result = {
      index: 0,
      value: await (await import('./run-pool-task.ts')).runPoolTask(request.task, request.input),
    }
  } catch (thrown) {
    result = { index: 0, error: failure(thrown) }
  }
  send({ kind: 'results', id: request.id, results: [result] })
}

process.on('message', (message: ToChild) => {
  if (message.kind === 'evaluate') void evaluate(message)
  else if (message.kind === 'task') void runTask(message)
  else
    for (const answer of message.answers) {
      const settle = pending.get(answer.lookupId)
      pending.delete(answer.lookupId)
      settle?.(answer)
    }
})
// The parent going away ends the child: the IPC channel closes. A signal to the whole process group
// (a supervisor stopping Ferry) is the parent's to handle: it drains its jobs, which may still map.
process.on('disconnect', () => process.exit(0))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined)
send({ kind: 'ready' })

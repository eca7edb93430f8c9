import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { BatchExpression, ShippedTable } from './pool-protocol.ts'

/** Tables larger than this are not copied to a child; their keys are asked one by one. */
const MAX_ROWS_SENT = 10_000

const ids = new WeakMap<object, number>()
let nextId = 1

/**
 * A table's rows as sent to a child: with their id, or the id alone when the child was sent them before
 * (`childHas`, updated here). A table's rows are a new Map whenever they change (re-read, row confirmed):
 * the same Map is the same rows. Undefined when the resolver holds no rows of the table, or too many.
 */
export function rowsToSend(
  held: ReadonlyMap<string, unknown> | undefined,
  childHas: Set<number>,
  resend = false,
): { rows?: ReadonlyMap<string, unknown>; rowsId: number } | undefined {
  if (!held || held.size > MAX_ROWS_SENT) return undefined
  let rowsId = ids.get(held)
  if (rowsId === undefined) {
    rowsId = nextId++
    ids.set(held, rowsId)
  }
  const rows = childHas.has(rowsId) && !resend ? { rowsId } : { rows: held, rowsId }
  childHas.add(rowsId)
  return rows
}

/** Resolves to undefined once `ms` have passed, unless `pending` settled first; a rejection counts as undefined. */
function within<T>(pending: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([pending.catch(() => undefined), late]).finally(() => clearTimeout(timer))
}

/**
 * The rows of `tables` to send with a batch, so that the child answers their keys without asking this
 * process: found keys always, and missing keys too when the resolver says the rows are the whole table
 * (LookupResolver.complete). A table whose rows cannot be had within `waitMs` (a source that is down or
 * slow) is left out: its keys are asked as before, under the evaluation's own time limit.
 */
export async function shipTables(
  lookup: LookupResolver,
  tables: Iterable<string>,
  childHas: Set<number>,
  waitMs: number,
): Promise<ShippedTable[]> {
  const shipped: ShippedTable[] = []
  for (const table of tables) {
    const rows = rowsToSend(
      await within(lookup.rows?.(table) ?? Promise.resolve(undefined), waitMs),
      childHas,
    )
    if (!rows) continue
    const complete = lookup.complete?.(table) === true
    const where = complete ? lookup.describe?.(table) : undefined
    shipped.push({ table, ...rows, complete, ...(where === undefined ? {} : { where }) })
  }
  return shipped
}

/**
 * The tables a batch of `expressions` asked about before, as a set that records the tables it asks about
 * now (kept in `memory`, one set per list of expression sources): their rows go with the next batches.
 */
export function tablesUsedBy(memory: Map<string, Set<string>>, expressions: readonly BatchExpression[]) {
  const key = expressions.map((e) => e.source).join('\u0000')
  let tables = memory.get(key)
  if (!tables) {
    // Bounded: a process that maps ever-new expressions (mapping tests, dry runs) forgets old ones.
    if (memory.size >= 1000) memory.clear()
    tables = new Set<string>()
    memory.set(key, tables)
  }
  return tables
}

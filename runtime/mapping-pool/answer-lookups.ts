import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { LookupAnswer, LookupQuestion } from './pool-protocol.ts'

/** Tables larger than this are not copied to a child; their keys are asked one by one. */
const MAX_ROWS_SENT = 10_000

const ids = new WeakMap<object, number>()
let nextId = 1

/**
 * Answers a child's lookup questions with this process's resolver, all at once. A missing key's answer
 * says where its table comes from (LookupResolver.describe), for the child's lookup_missing message;
 * the first answer for a table in a batch carries its rows when the resolver holds them (LookupResolver.rows),
 * or only their id when this child (`childHas`) was sent them before.
 */
export function answerLookups(
  lookup: LookupResolver,
  questions: readonly LookupQuestion[],
  sentRows: Set<string>,
  childHas: Set<number>,
): Promise<LookupAnswer[]> {
  return Promise.all(
    questions.map(async ({ lookupId, table, key, rows: wanted }): Promise<LookupAnswer> => {
      try {
        const value = await lookup(table, key)
        const where = value === undefined || value === null ? lookup.describe?.(table) : undefined
        let rows: Pick<LookupAnswer, 'rows' | 'rowsId'> = {}
        if (wanted && lookup.rows && !sentRows.has(table)) {
          // Once per batch and table: later questions of the same turn must not copy the table again.
          sentRows.add(table)
          const held = await lookup.rows(table)
          if (held && held.size <= MAX_ROWS_SENT) {
            // A table's rows are a new Map whenever they change (re-read, row confirmed): the same Map is
            // the same rows, so a child that has them is sent their id alone.
            let rowsId = ids.get(held)
            if (rowsId === undefined) {
              rowsId = nextId++
              ids.set(held, rowsId)
            }
            rows = childHas.has(rowsId) ? { rowsId } : { rows: held, rowsId }
            childHas.add(rowsId)
          }
        }
        return { lookupId, value, ...(where === undefined ? {} : { where }), ...rows }
      } catch (error) {
        const code = (error as { code?: unknown }).code
        return {
          lookupId,
          error: {
            code: typeof code === 'string' ? code : undefined,
            message: error instanceof Error ? error.message : String(error),
          },
        }
      }
    }),
  )
}

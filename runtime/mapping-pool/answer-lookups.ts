import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { LookupAnswer, LookupQuestion } from './pool-protocol.ts'
import { rowsToSend } from './ship-tables.ts'

/**
 * Answers a child's lookup questions with this process's resolver, all at once. A missing key's answer
 * says where its table comes from (LookupResolver.describe), for the child's lookup_missing message;
 * the first answer for a table in a batch carries its rows when the resolver holds them (LookupResolver.rows),
 * or only their id when this child (`childHas`) was sent them before and still has them.
 */
export function answerLookups(
  lookup: LookupResolver,
  questions: readonly LookupQuestion[],
  sentRows: Set<string>,
  childHas: Set<number>,
): Promise<LookupAnswer[]> {
  return Promise.all(
    questions.map(async ({ lookupId, table, key, rows: wanted, resend }): Promise<LookupAnswer> => {
      try {
        const value = await lookup(table, key)
        const where = value === undefined || value === null ? lookup.describe?.(table) : undefined
        let rows: Pick<LookupAnswer, 'rows' | 'rowsId'> = {}
        if (wanted && (resend || !sentRows.has(table))) {
          // Once per batch and table: later questions of the same turn must not copy the table again.
          sentRows.add(table)
          rows = rowsToSend(await lookup.rows?.(table), childHas, resend) ?? {}
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

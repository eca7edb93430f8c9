import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { LookupAnswer, LookupQuestion } from './pool-protocol.ts'

/**
 * Answers a child's lookup questions with this process's resolver, all at once. A missing key's answer
 * says where its table comes from (LookupResolver.describe), for the child's lookup_missing message.
 */
export function answerLookups(
  lookup: LookupResolver,
  questions: readonly LookupQuestion[],
): Promise<LookupAnswer[]> {
  return Promise.all(
    questions.map(async ({ lookupId, table, key }): Promise<LookupAnswer> => {
      try {
        const value = await lookup(table, key)
        const where = value === undefined || value === null ? lookup.describe?.(table) : undefined
        return { lookupId, value, ...(where === undefined ? {} : { where }) }
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

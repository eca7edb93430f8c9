/** Resolves one key of a named lookup table; `undefined` (or `null`) means the key is not in the table. */
export type LookupResolver = ((table: string, key: unknown) => unknown | Promise<unknown>) & {
  /** Where a table's rows come from, for a missing-key message (e.g. the recipe mapping table to fix). */
  describe?: (table: string) => string | undefined
  /**
   * The whole table as this resolver holds it now (keys as strings), when it is held in memory: lets an
   * evaluation in another process answer found keys itself. Keys it lacks are still asked of `resolve`.
   */
  rows?: (table: string) => Promise<ReadonlyMap<string, unknown> | undefined>
  /**
   * Whether `rows(table)` is the whole table, so that a key it lacks is missing without asking `resolve`
   * (a manifest's values, a recipe mapping table); not so for a table that re-reads its source on a miss.
   */
  complete?: (table: string) => boolean
}

/** Per-call data of one evaluation, reached by the function library through a hidden binding. */
export interface EvaluationContext {
  lookup?: LookupResolver
  recordKey?: string
  /** Epoch ms after which an async custom function (a lookup) stops waiting. */
  deadline: number
}

/**
 * The binding name under which each evaluation carries its context. It contains a space, so no JSONata
 * expression can name it: mapping authors cannot read or shadow it.
 */
export const CONTEXT_BINDING = 'ferry context'

/** What JSONata passes as `this` to a registered function. */
export interface FunctionFocus {
  environment: { lookup(name: string): unknown }
}

/** The context of the evaluation that called a library function. */
export function contextOf(focus: FunctionFocus): EvaluationContext {
  return (
    (focus.environment.lookup(CONTEXT_BINDING) as EvaluationContext | undefined) ?? { deadline: Infinity }
  )
}

/** A function-library entry: called by JSONata with the evaluated arguments and the focus as `this`. */
export type MappingFunction = (this: FunctionFocus, ...args: any[]) => unknown

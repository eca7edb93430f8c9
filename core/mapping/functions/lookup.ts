import { redactSecrets } from '../../connector/connector-error.ts'
import {
  contextOf,
  type EvaluationContext,
  type FunctionFocus,
  type MappingFunction,
} from '../mapping-context.ts'
import { isMappingError, MappingError } from '../mapping-error.ts'
import { describeValue } from './read-arguments.ts'

function missing(table: string, key: unknown, context: EvaluationContext): MappingError {
  const where = context.lookup?.describe?.(table)
  return new MappingError(
    'lookup_missing',
    `$lookupTable: key ${describeValue(key)} is not in lookup table "${table}"${where ? ` (${where})` : ''}`,
    { recordKey: context.recordKey },
  )
}

function failed(table: string, key: unknown, cause: unknown): MappingError {
  if (isMappingError(cause)) return cause
  const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause))
  return new MappingError(
    'lookup_failed',
    `$lookupTable: table "${table}" failed for key ${describeValue(key)}: ${reason}`,
    {
      cause,
    },
  )
}

/** Waits for an async lookup, but never past the evaluation's deadline: JSONata's own timeout cannot interrupt it. */
function withDeadline(
  pending: Promise<unknown>,
  deadline: number,
  table: string,
  key: unknown,
): Promise<unknown> {
  const remaining = deadline - Date.now()
  if (remaining === Infinity) return pending
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const message = `$lookupTable: table "${table}" did not answer for key ${describeValue(key)} in time`
        reject(new MappingError('lookup_timeout', message))
      },
      Math.max(0, remaining),
    )
  })
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer))
}

/**
 * `$lookupTable(table, key[, default])`: the value of `key` in the named lookup table, resolved by the
 * runtime (sync or async). A missing key fails with `lookup_missing` naming the table and the key, unless
 * a default is given. Named so that JSONata's built-in `$lookup(object, key)` keeps its own meaning.
 */
function lookupTable(this: FunctionFocus, table: string, key: unknown, ...defaults: unknown[]): unknown {
  const context = contextOf(this)
  // JSONata's signature check pads a missing optional argument with undefined, so a default that yields
  // nothing is no default: only a value (null included) is a default.
  const fallback = defaults[0]
  const hasDefault = fallback !== undefined
  let answer: unknown
  if (context.lookup) {
    try {
      answer = context.lookup(table, key)
    } catch (cause) {
      throw failed(table, key, cause)
    }
  }
  if (answer instanceof Promise) return settleLater(answer, table, key, hasDefault, fallback, context)
  if (answer !== undefined && answer !== null) return answer
  if (hasDefault) return fallback
  throw missing(table, key, context)
}

// Kept out of `lookupTable` so the common synchronous case allocates no closures.
async function settleLater(
  pending: Promise<unknown>,
  table: string,
  key: unknown,
  hasDefault: boolean,
  fallback: unknown,
  context: EvaluationContext,
): Promise<unknown> {
  let answer: unknown
  try {
    answer = await withDeadline(pending, context.deadline, table, key)
  } catch (cause) {
    throw failed(table, key, cause)
  }
  if (answer !== undefined && answer !== null) return answer
  if (hasDefault) return fallback
  throw missing(table, key, context)
}

/** The lookup function, by JSONata name. */
export const lookupFunctions: Record<string, MappingFunction> = { lookupTable }

/**
 * JSONata signatures of the lookup functions: a table name (a string, so `$lookupTable({…}, 'a')` is a
 * T0410 type error rather than a silent miss), any key, an optional default; answers any JSON.
 */
export const lookupSignatures: Record<string, string> = { lookupTable: '<sjj?:j>' }

import jsonata from 'jsonata'
import { depthGuard } from './depth-guard.ts'
import { mappingFunctions, mappingSignatures } from './functions/mapping-functions.ts'
import { guardOptions } from './guard-options.ts'
import { LruCache } from './lru-cache.ts'
import { CONTEXT_BINDING, type EvaluationContext, type LookupResolver } from './mapping-context.ts'
import { MappingError, positionAt, toMappingError } from './mapping-error.ts'
import { normaliseResult } from './normalise-result.ts'

/** Limits and a name for a compiled mapping. */
export interface MappingOptions {
  /** Wall-clock limit of one evaluation, lookups included (default 1000 ms; JSONata `D1012`). */
  timeoutMs?: number
  /** Maximum evaluation depth along one path — recursion, not width (default 200; JSONata `D1011`). */
  maxDepth?: number
  /** Maximum length of any sequence the expression builds (JSONata `D2015`); off unless set. */
  maxSequence?: number
  /** Shown in messages, e.g. the flow and step the expression belongs to. */
  name?: string
}

/** What one evaluation gets besides its input. */
export interface MappingEnv {
  /** Resolves `$lookupTable(table, key)`; the runtime backs it with the flow's lookup tables. */
  lookup?: LookupResolver
  /** The record's source key, copied into any MappingError. */
  recordKey?: string
  /** Extra variables, visible as `$name` (e.g. `$result` in an acknowledge mapping). */
  vars?: Record<string, unknown>
}

/** A JSONata expression compiled once, with Ferry's function library and guardrails. */
export interface CompiledMapping {
  readonly source: string
  readonly name?: string
  /**
   * Maps one input to plain JSON (no result → `null`). Always time- and depth-limited.
   * @throws MappingError with JSONata's or the function library's code, the position and `recordKey`.
   */
  evaluate(input: unknown, env?: MappingEnv): Promise<unknown>
}

const DEFAULTS = { timeoutMs: 1000, maxDepth: 200 }
const cache = new LruCache<string, CompiledMapping>(500)

function readLimit(value: number | undefined, fallback: number, what: string): number {
  const limit = value ?? fallback
  // A zero limit would switch JSONata's guardrails off altogether.
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`${what} must be a positive whole number`)
  return limit
}

/**
 * Compiles a JSONata mapping, or returns the cached compilation of the same source and options.
 * @throws MappingError on a syntax error, with JSONata's code (e.g. `S0202`) and line:col.
 * @example
 *   const map = compileMapping("{ 'vendorNumber': $lookupTable('vendorNo', supplierCode) }")
 *   await map.evaluate(doc, { lookup: (table, key) => tables[table]?.[key], recordKey: doc.invoiceId })
 */
export function compileMapping(source: string, options: MappingOptions = {}): CompiledMapping {
  const timeoutMs = readLimit(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs')
  const maxDepth = readLimit(options.maxDepth, DEFAULTS.maxDepth, 'maxDepth')
  const maxSequence =
    options.maxSequence === undefined ? undefined : readLimit(options.maxSequence, 0, 'maxSequence')
  const cacheKey = `${timeoutMs}|${maxDepth}|${maxSequence ?? ''}|${options.name ?? ''}|${source}`
  const cached = cache.get(cacheKey)
  if (cached) return cached
  const compiled = compile(source, timeoutMs, maxDepth, maxSequence, options.name)
  cache.set(cacheKey, compiled)
  return compiled
}

function compile(
  source: string,
  timeoutMs: number,
  maxDepth: number,
  maxSequence: number | undefined,
  name: string | undefined,
): CompiledMapping {
  let expression: jsonata.Expression
  try {
    expression = jsonata(source, guardOptions(timeoutMs, maxSequence) as jsonata.JsonataOptions)
  } catch (thrown) {
    throw named(toMappingError(thrown, source), name)
  }
  const renamed = /\$lookup\(\s*(['"])[^'"]*\1/.exec(source)
  if (renamed) {
    // A flow stored before $lookup became $lookupTable would otherwise map every such field to null.
    const message = `${renamed[0]}, …) is Ferry's table lookup under its old name: write $lookupTable${renamed[0].slice(7)}, …)`
    throw named(
      new MappingError('renamed_lookup', message, { position: positionAt(source, renamed.index) }),
      name,
    )
  }
  expression.assign(Symbol.for('jsonata.__createFrame_push') as never, depthGuard(maxDepth))
  for (const [fn, implementation] of Object.entries(mappingFunctions)) {
    expression.registerFunction(fn, implementation as never, mappingSignatures[fn])
  }
  return {
    source,
    name,
    async evaluate(input: unknown, env: MappingEnv = {}): Promise<unknown> {
      const context: EvaluationContext = {
        lookup: env.lookup,
        recordKey: env.recordKey,
        deadline: Date.now() + timeoutMs,
      }
      const bindings = env.vars ? { ...env.vars, [CONTEXT_BINDING]: context } : { [CONTEXT_BINDING]: context }
      try {
        return normaliseResult(await expression.evaluate(input, bindings))
      } catch (thrown) {
        throw named(toMappingError(explainLimit(thrown, timeoutMs, maxDepth), source, env.recordKey), name)
      }
    },
  }
}

function named(error: MappingError, name: string | undefined): MappingError {
  if (name === undefined) return error
  const { code, position, recordKey, token } = error
  return new MappingError(code, `${name}: ${error.message}`, {
    position,
    recordKey,
    token,
    cause: error.cause,
  })
}

// JSONata fills D1012's message from the options object, whose sampled `timeout` may read NaN by then,
// and D1011's with its generic text; both say which limit was hit.
function explainLimit(thrown: unknown, timeoutMs: number, maxDepth: number): unknown {
  if (typeof thrown !== 'object' || thrown === null) return thrown
  const code = (thrown as { code?: unknown }).code
  if (code === 'D1012') {
    const message = `evaluation ran longer than its ${timeoutMs} ms limit; look for an endless loop or recursion`
    return { ...thrown, message }
  }
  if (code === 'D1011') {
    const message = `evaluation nested deeper than its depth limit of ${maxDepth}; look for runaway recursion`
    return { ...thrown, message }
  }
  return thrown
}

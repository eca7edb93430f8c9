import type { CompiledMapping, MappingEnv } from '../../core/mapping/compile-mapping.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { MappingPool, PoolExpression, PoolOutcome } from './mapping-pool.ts'

/** One input of a batched evaluation. */
export interface PooledInput {
  input: unknown
  recordKey?: string
  vars?: Record<string, unknown>
}

/** A tenant expression evaluated in the mapping pool: CompiledMapping's contract, plus many inputs per hop. */
export interface PooledMapping extends CompiledMapping {
  readonly expression: PoolExpression
  /** Evaluates every input in one hop to the pool; one outcome per input, in order. Never rejects. */
  evaluateMany(inputs: readonly PooledInput[], lookup?: LookupResolver): Promise<PoolOutcome[]>
}

/**
 * Wraps a JSONata expression so that it runs in the mapping pool `pool()` returns (looked up on each call,
 * so a pool closed and replaced is never used). Syntax errors come back from the first evaluation with
 * JSONata's code and position; manifests are checked for them when they are validated.
 */
export function pooledMapping(
  pool: () => MappingPool,
  source: string,
  options: { name?: string; timeoutMs?: number; maxDepth?: number } = {},
): PooledMapping {
  const expression: PoolExpression = { source, ...options }
  return {
    source,
    name: options.name,
    expression,
    evaluate: (input: unknown, env: MappingEnv = {}) => pool().evaluate({ ...expression, input, env }),
    evaluateMany: (inputs, lookup) =>
      pool().evaluateMany({
        expressions: [expression],
        items: inputs.map((i) => ({ expr: 0, input: i.input, recordKey: i.recordKey, vars: i.vars })),
        lookup,
      }),
  }
}

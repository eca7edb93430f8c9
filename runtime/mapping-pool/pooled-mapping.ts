import type { CompiledMapping, MappingEnv } from '../../core/mapping/compile-mapping.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { MappingPool, PoolExpression } from './mapping-pool.ts'
import type { PoolOutcome } from './pool-batch.ts'

/** One input of a batched evaluation. */
export interface PooledInput {
  input: unknown
  recordKey?: string
  vars?: Record<string, unknown>
}

/** A tenant expression evaluated in the mapping pool: CompiledMapping's contract, plus many inputs per hop. */
export interface PooledMapping extends CompiledMapping {
  readonly expression: PoolExpression
  /**
   * Evaluates every input in one hop to the pool; one outcome per input, in order. Never rejects.
   * With `when`, each input is first filtered by it in the same hop: a falsy result skips the input
   * (outcome `skipped`), an error fails it.
   */
  evaluateMany(
    inputs: readonly PooledInput[],
    lookup?: LookupResolver,
    when?: PooledMapping,
  ): Promise<PoolOutcome[]>
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
    evaluateMany: (inputs, lookup, when) =>
      pool().evaluateMany({
        expressions: when ? [expression, when.expression] : [expression],
        items: inputs.map((i) => ({
          expr: 0,
          ...(when ? { when: 1 } : {}),
          input: i.input,
          recordKey: i.recordKey,
          vars: i.vars,
        })),
        lookup,
      }),
  }
}

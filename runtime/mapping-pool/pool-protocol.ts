/** Messages between the mapping pool (API or worker process) and a mapping child process. */

/** Parent → child: evaluate one mapping. */
export interface EvaluateRequest {
  kind: 'evaluate'
  id: number
  source: string
  timeoutMs: number
  maxDepth?: number
  name?: string
  input: unknown
  recordKey?: string
  vars?: Record<string, unknown>
  /** Whether `$lookupTable` may ask the parent (false: every lookup misses). */
  lookups: boolean
  maxOutputBytes: number
}

/** Parent → child: the answer to a lookup the child asked for. */
export interface LookupAnswer {
  kind: 'lookup-answer'
  lookupId: number
  value?: unknown
  error?: { code?: string; message: string }
}

/** Child → parent: a `$lookupTable(table, key)` call of the evaluation `id`. */
export interface LookupQuestion {
  kind: 'lookup'
  id: number
  lookupId: number
  table: string
  key: unknown
}

/** Child → parent: how the evaluation `id` ended. */
export interface EvaluateResult {
  kind: 'result'
  id: number
  value?: unknown
  error?: { code: string; message: string; position?: unknown; token?: string }
}

export type ToChild = EvaluateRequest | LookupAnswer
export type FromChild = LookupQuestion | EvaluateResult

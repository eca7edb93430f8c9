/** Messages between the mapping pool (API or worker process) and a mapping child process. */

/** One expression of a batch, compiled once in the child (and cached there). */
export interface BatchExpression {
  source: string
  timeoutMs: number
  maxDepth?: number
  name?: string
}

/** One evaluation of a batch: expression `expr` of the batch over `input`. */
export interface BatchItem {
  expr: number
  /**
   * A filter evaluated first, over the same input (an index into the batch's expressions): when its
   * result is falsy, `expr` is not evaluated and the item ends `skipped` (a flow's `when` and `map` in one hop).
   */
  when?: number
  input: unknown
  recordKey?: string
  vars?: Record<string, unknown>
}

/** Parent → child: evaluate a batch of items; many records travel in one message so IPC does not dominate. */
export interface EvaluateRequest {
  kind: 'evaluate'
  id: number
  expressions: BatchExpression[]
  items: BatchItem[]
  /** Whether `$lookupTable` may ask the parent (false: every lookup misses). */
  lookups: boolean
  /** Tables sent with the batch, so that the child answers their lookups without asking. */
  tables?: ShippedTable[]
  maxOutputBytes: number
}

/**
 * A lookup table's rows as the parent holds them now, named by `rowsId` (rows a child was sent before come
 * as `rowsId` alone). `complete`: a key they lack is missing (`where` says where to add it), not asked.
 */
export interface ShippedTable {
  table: string
  rowsId: number
  rows?: ReadonlyMap<string, unknown>
  complete: boolean
  where?: string
}

/** Work other than JSONata that must not run on the API's event loop: manifest validation. */
export type TaskName = 'validate-files' | 'parse-flow'

/** Parent → child: run one task; it answers like a one-item batch (a results message with index 0). */
export interface TaskRequest {
  kind: 'task'
  id: number
  task: TaskName
  input: unknown
}

/**
 * One `$lookupTable(table, key)` call; `rows`: the child has no rows of this table for the batch yet;
 * `resend`: it was sent an id of rows it no longer keeps (its cache of rows is bounded).
 */
export interface LookupQuestion {
  lookupId: number
  table: string
  key: unknown
  rows?: boolean
  resend?: boolean
}

/** The answer to one lookup; `where` says where a missing key's table comes from (see LookupResolver.describe). */
export interface LookupAnswer {
  lookupId: number
  value?: unknown
  where?: string
  /**
   * The table's rows as the parent holds them now (when small enough), named by `rowsId`: the child
   * answers found keys itself. Rows a child was sent before come as `rowsId` alone.
   */
  rows?: ReadonlyMap<string, unknown>
  rowsId?: number
  error?: { code?: string; message: string }
}

/** Parent → child: the answers to a message of lookup questions. */
export interface LookupAnswers {
  kind: 'lookup-answers'
  answers: LookupAnswer[]
}

/** Child → parent: the lookups the items of batch `id` asked for in one turn of the child's event loop. */
export interface LookupQuestions {
  kind: 'lookups'
  id: number
  questions: LookupQuestion[]
}

/** How one item ended: a value, an error, or skipped (its `when` was falsy). */
export interface ItemResult {
  index: number
  value?: unknown
  skipped?: true
  error?: { code: string; message: string; position?: unknown; token?: string }
}

/** Child → parent: items of batch `id` that finished (sent as they finish, a turn's worth at a time). */
export interface EvaluateResults {
  kind: 'results'
  id: number
  results: ItemResult[]
}

/** Child → parent: the child is ready for work. */
export interface ChildReady {
  kind: 'ready'
}

export type ToChild = EvaluateRequest | TaskRequest | LookupAnswers
export type FromChild = LookupQuestions | EvaluateResults | ChildReady

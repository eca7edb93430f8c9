import { redactSecrets } from '../connector/connector-error.ts'

/** Where in the JSONata source an error points: a 0-based character offset and 1-based line:col. */
export interface MappingPosition {
  offset: number
  line: number
  col: number
}

/**
 * A failed mapping: a syntax error at compile time or a failure while evaluating one record.
 *
 * `code` is JSONata's own (`S0202` syntax, `T2001` type, `D1012` timeout, `D1011` depth, `D2015` sequence
 * length) or one of Ferry's function-library codes (`lookup_missing`, `lookup_timeout`, `lookup_failed`,
 * `invalid_amount`, `invalid_date`, `invalid_argument`), a limit of the runtime's mapping pool
 * (`wall_time_limit`, `memory_limit`, `output_limit`, `pool_closed`) or `mapping_failed` for anything else.
 */
export class MappingError extends Error {
  override readonly name = 'MappingError'
  readonly code: string
  /** Position in the expression, when JSONata knows it. */
  readonly position?: MappingPosition
  /** The record being mapped (its source key), when known. */
  readonly recordKey?: string
  /** The offending token, e.g. the function name. */
  readonly token?: string

  constructor(
    code: string,
    message: string,
    details: { position?: MappingPosition; recordKey?: string; token?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.position = details.position
    this.recordKey = details.recordKey
    this.token = details.token
  }

  /** A plain, secret-free object for ledger events, API responses and `ferry test` output. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, position: this.position, recordKey: this.recordKey }
  }
}

/** True for a MappingError, also across module copies. */
export function isMappingError(e: unknown): e is MappingError {
  return e instanceof MappingError || (e instanceof Error && e.name === 'MappingError' && 'code' in e)
}

/** Converts a character offset in `source` to line:col (1-based; col points at the character before the offset). */
export function positionAt(source: string, offset: number): MappingPosition {
  const clamped = Math.max(0, Math.min(offset, source.length))
  const before = source.slice(0, clamped)
  const lastBreak = before.lastIndexOf('\n')
  const line = before.split('\n').length
  return { offset: clamped, line, col: Math.max(1, clamped - lastBreak - 1) }
}

/** The fields JSONata (and functions it calls) put on a thrown value; JSONata throws plain objects. */
interface RawFailure {
  code?: unknown
  message?: unknown
  position?: unknown
  token?: unknown
}

/**
 * Turns whatever an evaluation or compilation threw into a MappingError with a source position.
 * JSONata throws plain objects (`instanceof Error` is false) and attaches `position` to errors thrown
 * by custom functions, so both paths end here.
 */
export function toMappingError(thrown: unknown, source: string, recordKey?: string): MappingError {
  const raw: RawFailure = typeof thrown === 'object' && thrown !== null ? thrown : { message: String(thrown) }
  const code = typeof raw.code === 'string' ? raw.code : 'mapping_failed'
  const text = typeof raw.message === 'string' && raw.message !== '' ? raw.message : 'mapping failed'
  const position = typeof raw.position === 'number' ? positionAt(source, raw.position) : undefined
  const token = typeof raw.token === 'string' ? raw.token : undefined
  // Messages of foreign errors (a lookup's database driver, say) may quote credentials.
  const message = isMappingError(thrown) || code !== 'mapping_failed' ? text : redactSecrets(text)
  return new MappingError(code, message, { position, recordKey, token, cause: thrown })
}

/** One line for logs and the CLI: `line:col  CODE  message`. */
export function describeMappingError(error: MappingError): string {
  const where = error.position ? `${error.position.line}:${error.position.col}  ` : ''
  const record = error.recordKey === undefined ? '' : `  (record ${error.recordKey})`
  return `${where}${error.code}  ${error.message}${record}`
}

/**
 * Mapping failures that say nothing about the record: a lookup source that failed or did not answer
 * in time (`lookup_failed`, `lookup_timeout`: a mapping table read from a database that is restarting),
 * an evaluation that ran out of wall-clock time (`D1012`, or the mapping pool's `wall_time_limit`: a
 * machine too busy), or a mapping pool that was shutting down (`pool_closed`). Another attempt may
 * succeed, so delivery retries them within the flow's retry limit; every other mapping failure is the
 * record's data or the mapping itself and fails at once.
 */
export function isTransientMappingError(error: unknown): boolean {
  return isMappingError(error) && TRANSIENT_CODES.has(error.code)
}

const TRANSIENT_CODES = new Set([
  'lookup_failed',
  'lookup_timeout',
  'D1012',
  'wall_time_limit',
  'pool_closed',
])

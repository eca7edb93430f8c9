/**
 * The one error type a connector throws. Its `kind` alone drives the runtime's behaviour:
 *
 * | kind           | meaning                                              | runtime reaction                         |
 * |----------------|------------------------------------------------------|------------------------------------------|
 * | `config`       | the connection is set up wrong (URL, company, scope) | park the record, tell the admin          |
 * | `auth`         | credentials refused after one refresh                | park, mark the connection as failing     |
 * | `transient`    | network, 5xx, timeouts: the same call may succeed    | retry with backoff + jitter              |
 * | `rate_limited` | the remote budget is spent; `retryAfterMs` if known  | retry after the given delay              |
 * | `rejected`     | the remote system refused this data (permanent)      | park as `failed` with the remote message |
 * | `conflict`     | stale ETag / concurrent change                       | re-read and retry once, then rejected    |
 * | `not_found`    | the addressed record does not exist                  | treated as a rejection unless expected   |
 *
 * Messages are written where the error is thrown and must never carry a secret: use
 * {@link redactSecrets} on anything that came back from the remote system.
 */
export type ConnectorErrorKind =
  | 'config'
  | 'auth'
  | 'transient'
  | 'rate_limited'
  | 'rejected'
  | 'conflict'
  | 'not_found'

/** What a ConnectorError carries besides its message. */
export interface ConnectorErrorDetails {
  /** The remote system's own error code, e.g. BC's `Application_DialogException`. */
  remoteCode?: string
  /** The remote system's own message, exactly as it said it (secrets filtered). */
  remoteMessage?: string
  /** HTTP status of the remote answer, when there was one. */
  status?: number
  /** For `rate_limited`: how long the remote asked us to wait. */
  retryAfterMs?: number
  /** Per-record detail, e.g. the JSON pointer of the offending field. */
  field?: string
  cause?: unknown
}

/** A typed failure of a connector call; see {@link ConnectorErrorKind} for what each kind means. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError'
  readonly kind: ConnectorErrorKind
  readonly remoteCode?: string
  readonly remoteMessage?: string
  readonly status?: number
  readonly retryAfterMs?: number
  readonly field?: string

  constructor(kind: ConnectorErrorKind, message: string, details: ConnectorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.remoteCode = details.remoteCode
    this.remoteMessage = details.remoteMessage
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
    this.field = details.field
  }

  /** True when retrying the same call later may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited'
  }

  /** A plain, secret-free object for ledger events and API responses. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      remoteCode: this.remoteCode,
      remoteMessage: this.remoteMessage,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      field: this.field,
    }
  }
}

/** True for a ConnectorError, also across module copies (checks the shape, not the prototype). */
export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError || (e instanceof Error && e.name === 'ConnectorError' && 'kind' in e)
}

/** Parses an HTTP `Retry-After` header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

const SECRET_PATTERNS: RegExp[] = [
  /(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi,
  /(basic\s+)[A-Za-z0-9+/]+=*/gi,
  /("?(?:client_secret|access_token|refresh_token|access_code|password|secret|token|apikey|api_key)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
]

/**
 * Replaces credentials in free text (remote error bodies, URLs) by `[redacted]`.
 * Also removes any literal value in `known` (the connection's own secrets).
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text
  for (const secret of known) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '$1[redacted]')
  return out
}

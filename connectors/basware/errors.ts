/**
 * Turns Basware's answers into ConnectorErrors: the ResponseEntityList body becomes a `rejected` error
 * with Basware's own codes and messages; 401 is `auth`; 429 and 5xx are retryable.
 */
import {
  ConnectorError,
  type ConnectorErrorKind,
  isConnectorError,
  parseRetryAfter,
} from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'

/** One error of a ResponseEntityList body. */
export interface BaswareErrorEntry {
  externalCode?: string | null
  type?: string
  code?: string
  message?: string | null
  info?: string | null
}

/** The error entries of a body, whichever of Basware's error shapes it has. */
export function errorEntries(body: unknown): BaswareErrorEntry[] {
  if (!body || typeof body !== 'object') return []
  const b = body as {
    errors?: unknown
    errorMessages?: unknown
    message?: unknown
    detail?: unknown
    error?: unknown
    error_description?: unknown
  }
  if (Array.isArray(b.errors)) return b.errors as BaswareErrorEntry[]
  if (Array.isArray(b.errorMessages)) return b.errorMessages as BaswareErrorEntry[]
  if (Array.isArray(b.detail))
    return (b.detail as { msg?: string }[]).map((d) => ({ message: d.msg ?? JSON.stringify(d) }))
  if (typeof b.error === 'string')
    return [
      { code: b.error, message: typeof b.error_description === 'string' ? b.error_description : b.error },
    ]
  const message =
    typeof b.message === 'string' ? b.message : typeof b.detail === 'string' ? b.detail : undefined
  return message ? [{ message }] : []
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function kindFor(status: number, retryAfterMs: number | undefined): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 429) return 'rate_limited'
  if (status === 503 && retryAfterMs !== undefined) return 'rate_limited'
  if (status >= 500 || status === 408) return 'transient'
  return 'rejected'
}

/** A ConnectorError describing a failed Basware answer. `what` names the call ("POST /v1/vendors"). */
export function errorFromResponse(
  what: string,
  response: { status: number; headers: Headers },
  text: string,
  secrets: readonly string[],
  now = Date.now(),
): ConnectorError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now)
  const entries = errorEntries(parseBody(text))
  const remoteMessage = remoteText(
    entries.length
      ? entries.map((e) => [e.externalCode, e.message, e.info].filter(Boolean).join(': ')).join('; ')
      : text,
    secrets,
  )
  const remoteCode = entries.find((e) => e.code)?.code
  const kind = kindFor(response.status, retryAfterMs)
  const hint =
    kind === 'auth'
      ? ' Check the client id and secret (or API user), and that the client has the scopes this call needs.'
      : kind === 'rate_limited'
        ? ' Basware asked us to slow down.'
        : ''
  return new ConnectorError(
    kind,
    `Basware answered ${response.status} to ${what}${remoteMessage ? `: ${remoteMessage}` : ''}.${hint}`,
    {
      status: response.status,
      remoteCode,
      remoteMessage: remoteMessage || undefined,
      retryAfterMs: kind === 'rate_limited' ? retryAfterMs : undefined,
      cause: {
        errors: entries.map((e) => ({
          ...e,
          message: e.message ? remoteText(e.message, secrets) : e.message,
        })),
      },
    },
  )
}

/** The ResponseEntityList entries an error from {@link errorFromResponse} carries. */
export function remoteErrors(error: unknown): BaswareErrorEntry[] {
  const cause = (error as { cause?: { errors?: BaswareErrorEntry[] } } | undefined)?.cause
  return Array.isArray(cause?.errors) ? cause.errors : []
}

/** A transport failure (DNS, reset, timeout) as a retryable error. */
export function networkError(what: string, cause: unknown, secrets: readonly string[]): ConnectorError {
  if (cause instanceof ConnectorError) return cause
  if (isConnectorError(cause)) return cause
  const detail = remoteText(cause instanceof Error ? cause.message : String(cause), secrets)
  return new ConnectorError('transient', `Could not reach Basware for ${what}: ${detail}`)
}

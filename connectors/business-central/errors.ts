/**
 * Maps a failed BC API answer to a ConnectorError. BC's body is `{"error":{"code","message"}}`; the
 * gateway may answer 401/429/5xx without JSON, so the status decides first and the code refines it.
 */
import { ConnectorError, parseRetryAfter } from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'

/** BC appends `  CorrelationId:  <guid>.` to messages; it helps support, not matching. */
export function stripCorrelationId(message: string): string {
  return message.replace(/\s+CorrelationId:\s+[0-9a-fA-F-]+\.?\s*$/, '')
}

/** The `{ code, message }` of a BC error body, when it has one. */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined
    const message = typeof body.error?.message === 'string' ? body.error.message : undefined
    return { code, message }
  } catch {
    return {}
  }
}

/** What a failed answer looked like. */
export interface FailedAnswer {
  status: number
  text: string
  retryAfter?: string | null
  /** `GET vendors(…)` and the like, for the message. */
  what: string
}

/** The ConnectorError for a non-2xx BC answer; secrets in `known` and in the text are redacted. */
export function bcError(answer: FailedAnswer, known: readonly string[], now = Date.now()): ConnectorError {
  const { code, message } = parseErrorBody(answer.text)
  const remoteMessage = remoteText(message ?? answer.text, known)
  const details = { status: answer.status, remoteCode: code, remoteMessage }
  const said = remoteMessage ? `: ${stripCorrelationId(remoteMessage)}` : ''
  const retryAfterMs = parseRetryAfter(answer.retryAfter, now)
  const { status, what } = answer
  if (status === 429) {
    return new ConnectorError('rate_limited', `BC throttled ${what} (429).`, { ...details, retryAfterMs })
  }
  if (status === 503 && retryAfterMs !== undefined) {
    return new ConnectorError('rate_limited', `BC is busy (503) for ${what}.`, { ...details, retryAfterMs })
  }
  if (status === 408 || status >= 500) {
    return new ConnectorError('transient', `BC failed ${what} with ${status}${said}`, {
      ...details,
      retryAfterMs,
    })
  }
  if (status === 401) {
    const why =
      code === 'Authentication_InvalidCredentials'
        ? 'the app is not on the Microsoft Entra Applications page in BC, is disabled, or has no permission set'
        : 'the access token was refused'
    return new ConnectorError('auth', `BC refused the credentials for ${what}: ${why}.`, details)
  }
  if (status === 403) {
    return new ConnectorError(
      'config',
      `BC permissions prevented ${what}: assign permission sets to the app${said}`,
      details,
    )
  }
  if (status === 409 && code === 'Request_EntityChanged') {
    return new ConnectorError(
      'conflict',
      `The record changed in BC since it was read (${what})${said}`,
      details,
    )
  }
  if (status === 412) return new ConnectorError('conflict', `The ETag is stale for ${what}${said}`, details)
  if (status === 404) {
    if (code === 'Internal_RecordNotFound' || code === 'BadRequest_NotFound') {
      return new ConnectorError('not_found', `BC has no such record (${what})${said}`, details)
    }
    return new ConnectorError(
      'config',
      `BC does not know the address of ${what}: check environment and company${said}`,
      details,
    )
  }
  return new ConnectorError('rejected', `BC rejected ${what}${said}`, details)
}

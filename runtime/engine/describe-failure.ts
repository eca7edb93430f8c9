import { isConnectorError } from '../../core/connector/connector-error.ts'
import { isMappingError } from '../../core/mapping/mapping-error.ts'

/** A failure as the ledger, the API and a transfer response show it. */
export interface FailureDescription extends Record<string, unknown> {
  kind: string
  code: string
  message: string
  remoteCode?: string
  remoteMessage?: string
  status?: number
}

/** Describes any thrown value: a connector's typed error, a mapping error, or an internal bug. */
export function describeFailure(error: unknown): FailureDescription {
  if (isConnectorError(error)) {
    return {
      kind: error.kind,
      code: error.remoteCode ?? error.kind,
      message: error.message,
      remoteCode: error.remoteCode,
      remoteMessage: error.remoteMessage,
      status: error.status,
    }
  }
  if (isMappingError(error)) {
    return { kind: 'mapping', code: error.code, message: error.message, position: error.position }
  }
  if (error && typeof error === 'object' && 'kind' in error && 'message' in error) {
    // A connector error that crossed a JSON boundary (the webhook inbox) arrives as a plain object.
    const e = error as Record<string, unknown>
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
    return {
      kind: String(e.kind),
      code: text(e.remoteCode) ?? String(e.kind),
      message: String(e.message),
      remoteCode: text(e.remoteCode),
      remoteMessage: text(e.remoteMessage),
      status: typeof e.status === 'number' ? e.status : undefined,
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { kind: 'internal', code: 'internal', message }
}

/**
 * MISA error codes → ConnectorError kinds, with messages an admin can act on. Business errors arrive
 * as HTTP 200 with `Success:false`; the code decides retry, park or reconfigure.
 */
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'

/** Codes that mean "this token is no good": reconnect once and retry. */
export const TOKEN_ERROR_CODES = new Set(['ExpiredToken', 'InvalidToken', 'InvalidAccessToken'])

const CONFIG_MESSAGES: Record<string, string> = {
  InvalidAppID: 'MISA does not recognise the App ID: check the app_id MISA issued for this integration',
  AppIDDisconnect:
    'The AMIS company has disconnected this app: an AMIS administrator must reconnect it and issue a new access code',
  DBAmisNotConnectDBACT:
    'The AMIS tenant has no accounting database linked: link AMIS Kế toán to the tenant in AMIS before connecting',
}

/** Builds the ConnectorError for a MISA `ErrorCode`/`ErrorMessage` pair. */
export function misaError(
  code: string | null,
  message: string,
  secrets: readonly string[],
  status?: number,
): ConnectorError {
  const remoteCode = code ?? 'Unknown'
  const remoteMessage = remoteText(String(message ?? ''), secrets)
  const details = { remoteCode, remoteMessage, status }
  const configMessage = CONFIG_MESSAGES[remoteCode]
  if (configMessage) return new ConnectorError('config', `${configMessage} (MISA ${remoteCode})`, details)
  if (TOKEN_ERROR_CODES.has(remoteCode))
    return new ConnectorError('auth', `MISA refused the access token (${remoteCode})`, details)
  if (remoteCode === 'Exception')
    return new ConnectorError('transient', `MISA reported an internal error: ${remoteMessage}`, details)
  if (remoteCode === 'VoucherNotFound')
    return new ConnectorError('not_found', `MISA: ${remoteMessage || 'voucher not found'}`, details)
  return new ConnectorError('rejected', `MISA refused the request (${remoteCode}): ${remoteMessage}`, details)
}

/** Builds the ConnectorError for an HTTP failure without a MISA envelope. */
export function httpError(status: number, fn: string): ConnectorError {
  if (status === 429) return new ConnectorError('rate_limited', `MISA throttled ${fn} (HTTP 429)`, { status })
  if (status >= 500)
    return new ConnectorError('transient', `MISA answered HTTP ${status} to ${fn}`, { status })
  if (status === 401)
    return new ConnectorError('auth', `MISA answered HTTP 401 to ${fn}`, {
      status,
      remoteCode: 'InvalidToken',
    })
  if (status === 404) {
    return new ConnectorError(
      'config',
      `MISA has no ${fn} at this base URL (HTTP 404): check baseUrl (note "/apir/", not "/api/")`,
      { status },
    )
  }
  return new ConnectorError('rejected', `MISA answered HTTP ${status} to ${fn}`, { status })
}

/**
 * Turns a failed Entra token request into a ConnectorError whose message tells the admin what to fix.
 * Entra's AADSTS codes are stable across languages, so they decide the advice.
 */
import { ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import { remoteText } from '../../core/connector/remote-text.ts'

const advice: [RegExp, ConnectorError['kind'], string][] = [
  [/AADSTS65001/, 'config', 'admin consent is missing: an admin of the tenant must grant consent to the app'],
  [
    /AADSTS700016/,
    'config',
    'the app is not known in this tenant: check the client id and tenant id, then grant consent',
  ],
  [/AADSTS90002|AADSTS900023/, 'config', 'the tenant was not found: check the tenant id'],
  [
    /AADSTS7000215|AADSTS7000222/,
    'auth',
    'the client secret is wrong or expired: create a new secret and update the connection',
  ],
  [
    /AADSTS700082|AADSTS50173|AADSTS70008/,
    'auth',
    'the refresh token expired or was revoked: reconnect the user',
  ],
]

/** Maps an error thrown by openid-client (or the network) during a token request. */
export function tokenError(error: unknown, secrets: readonly string[]): ConnectorError {
  if (isConnectorError(error)) return error
  const e = error as {
    error?: string
    error_description?: string
    status?: number
    message?: string
    cause?: unknown
  }
  if (typeof e?.error === 'string') {
    const remoteMessage = remoteText(e.error_description ?? e.error, secrets)
    const hit = advice.find(([pattern]) => pattern.test(remoteMessage))
    const kind = hit?.[1] ?? (e.status !== undefined && e.status >= 500 ? 'transient' : 'auth')
    const why =
      hit?.[2] ??
      (e.error === 'invalid_client' ? 'the client id or secret was refused' : 'the token request was refused')
    return new ConnectorError(kind, `Microsoft Entra refused the token request (${e.error}): ${why}.`, {
      remoteCode: e.error,
      remoteMessage,
      status: e.status,
    })
  }
  const status = (e?.cause as { status?: number } | undefined)?.status ?? e?.status
  if (status !== undefined && status >= 400 && status < 500) {
    return new ConnectorError(
      'config',
      `The Entra token endpoint answered ${status}: check authorityUrl and tenantId.`,
      {
        status,
      },
    )
  }
  return new ConnectorError('transient', 'Could not reach the Microsoft Entra token endpoint.', {
    remoteMessage: remoteText(String(e?.message ?? error), secrets),
  })
}

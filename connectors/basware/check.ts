/**
 * Proves a Basware connection before it is saved: a token (or the API user) and one page of invoices
 * waiting for transfer, with a message that says what to fix.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import { authorization } from './auth.ts'
import { callApi } from './call-api.ts'
import { type Config, resolveBaseUrl } from './config.ts'

/** The connector's `check`. */
export async function check(ctx: ConnectorContext<Config>): Promise<{ details: Record<string, unknown> }> {
  const baseUrl = resolveBaseUrl(ctx.config)
  await authorization(ctx)
  try {
    const res = await callApi(ctx, {
      method: 'GET',
      path: '/v1/accountingDocuments',
      query: {
        ProcessingStatus: 'WaitingForTransfer',
        pageSize: 1,
        companyCode: ctx.config.companyCodes?.[0],
      },
      expect: [404],
    })
    return {
      details: { baseUrl, authMode: ctx.config.authMode ?? 'oauth2', invoicesWaiting: res.status === 200 },
    }
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'auth') {
      throw new ConnectorError(
        'auth',
        `Basware accepted the credentials but refused to list accounting documents: grant the client the scope accountingDocuments.read. (${e.remoteMessage ?? e.message})`,
        { status: e.status },
      )
    }
    if (isConnectorError(e) && e.kind === 'rejected') {
      throw new ConnectorError(
        'config',
        `Basware refused the test query: ${e.remoteMessage ?? e.message}. Check companyCodes.`,
        { status: e.status, remoteCode: e.remoteCode },
      )
    }
    throw e
  }
}

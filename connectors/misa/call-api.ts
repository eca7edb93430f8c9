/**
 * One ACT Open API call: `POST /apir/sync/actopen/<fn>` (DELETE for `delete`) with app_id and
 * org_company_code in the body and the token in `X-MISA-AccessToken`. A token error reconnects once
 * and retries; everything else surfaces as a ConnectorError from the envelope.
 */
import type { CallSummary, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import { accessToken } from './auth.ts'
import { type Config, configSecrets, requestTimeoutMs, resolveBaseUrl } from './config.ts'
import { type MisaAnswer, unwrapEnvelope } from './envelope.ts'
import { TOKEN_ERROR_CODES } from './errors.ts'

/** An unwrapped answer and a secret-free summary for the ledger. */
export interface ApiAnswer extends MisaAnswer {
  call: CallSummary
}

async function once(
  ctx: ConnectorContext<Config>,
  fn: string,
  body: Record<string, unknown>,
  method: string,
  token: string,
): Promise<ApiAnswer> {
  const { config } = ctx
  const secrets = [...configSecrets(config), token]
  const url = `${resolveBaseUrl(config)}/apir/sync/actopen/${fn}`
  const timeout = AbortSignal.timeout(requestTimeoutMs(config))
  const started = Date.now()
  let res: Response
  try {
    res = await ctx.fetch(url, {
      method,
      headers: { 'content-type': 'application/json', 'X-MISA-AccessToken': token },
      body: JSON.stringify({ app_id: config.appId, org_company_code: config.orgCompanyCode, ...body }),
      signal: ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout,
    })
  } catch (e) {
    if (isConnectorError(e)) throw e
    const reason = timeout.aborted
      ? `timed out after ${requestTimeoutMs(config)} ms`
      : redactSecrets(String((e as Error).message), secrets)
    throw new ConnectorError('transient', `MISA ${fn} failed: ${reason}`)
  }
  const call: CallSummary = { method, url, status: res.status, durationMs: Date.now() - started }
  return { ...unwrapEnvelope(res.status, await res.text(), fn, secrets), call }
}

/** Calls MISA function `fn`; reconnects once on ExpiredToken/InvalidToken/401. */
export async function callApi(
  ctx: ConnectorContext<Config>,
  fn: string,
  body: Record<string, unknown>,
  method: 'POST' | 'DELETE' = 'POST',
): Promise<ApiAnswer> {
  const token = await accessToken(ctx)
  try {
    return await once(ctx, fn, body, method, token)
  } catch (e) {
    if (!isConnectorError(e) || !e.remoteCode || !TOKEN_ERROR_CODES.has(e.remoteCode)) throw e
    ctx.log.info('MISA refused the token; reconnecting once', { fn, code: e.remoteCode })
    const fresh = await accessToken(ctx, token)
    return once(ctx, fn, body, method, fresh)
  }
}

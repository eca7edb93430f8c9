/**
 * MISA tokens: `POST /api/oauth/actopen/connect` returns a token of about 12 h and no refresh token.
 * The token is shared through the connection's durable state (so workers do not fight if MISA revokes
 * earlier tokens on connect) and cached in the process memo; connects are single-flight.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError, redactSecrets } from '../../core/connector/connector-error.ts'
import { fromMisaTicks, parseVietnamDateTime } from '../../core/vietnam/vietnam-time.ts'
import { type Config, configSecrets, requestTimeoutMs, resolveBaseUrl } from './config.ts'
import { unwrapEnvelope } from './envelope.ts'
import { TOKEN_ERROR_CODES } from './errors.ts'

/** A token and when it stops working. */
export interface MisaToken {
  token: string
  expiresMs: number
}

const MEMO_KEY = 'misa:token'
const INFLIGHT_KEY = 'misa:connecting'
const STATE_KEY = 'misa:token'
// Renew ahead of expiry so a long page loop never starts with a token about to lapse.
const MARGIN_MS = 10 * 60_000

function usable(t: MisaToken | undefined, now: number, not?: string): t is MisaToken {
  return !!t && t.token !== not && t.expiresMs - MARGIN_MS > now
}

function expiryOf(data: Record<string, unknown>, now: number): number {
  try {
    if (data.expired_time_ticks !== undefined && data.expired_time_ticks !== null)
      return fromMisaTicks(String(data.expired_time_ticks)).getTime()
    if (typeof data.expired_time === 'string') return parseVietnamDateTime(data.expired_time).getTime()
  } catch {
    // fall through to the documented lifetime
  }
  return now + 11 * 3600_000
}

/** Calls connect and returns a fresh token. Refusals become `auth`/`config` errors an admin can act on. */
export async function connectMisa(ctx: ConnectorContext<Config>): Promise<MisaToken> {
  const { config } = ctx
  const secrets = configSecrets(config)
  let res: Response
  try {
    res = await ctx.fetch(`${resolveBaseUrl(config)}/api/oauth/actopen/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        app_id: config.appId,
        access_code: config.accessCode,
        org_company_code: config.orgCompanyCode,
      }),
      signal: ctx.signal
        ? AbortSignal.any([ctx.signal, AbortSignal.timeout(requestTimeoutMs(config))])
        : AbortSignal.timeout(requestTimeoutMs(config)),
    })
  } catch (e) {
    if (isConnectorError(e)) throw e
    throw new ConnectorError(
      'transient',
      `Could not reach MISA connect: ${redactSecrets(String((e as Error).message), secrets)}`,
    )
  }
  try {
    const { data } = unwrapEnvelope(res.status, await res.text(), 'connect', secrets)
    const body = (data ?? {}) as Record<string, unknown>
    if (typeof body.access_token !== 'string')
      throw new ConnectorError('transient', 'MISA connect answered without an access_token')
    return { token: body.access_token, expiresMs: expiryOf(body, ctx.now().getTime()) }
  } catch (e) {
    if (isConnectorError(e) && e.remoteCode && TOKEN_ERROR_CODES.has(e.remoteCode)) {
      // MISA's own words first (what the admin sees in AMIS too), then what to do about them.
      throw new ConnectorError(
        'auth',
        `MISA refused the access code: ${e.remoteMessage ?? e.remoteCode} (${e.remoteCode}). Generate a new one in AMIS (connection settings) and update the connection`,
        {
          remoteCode: e.remoteCode,
          remoteMessage: e.remoteMessage,
          status: e.status,
        },
      )
    }
    if (isConnectorError(e) && e.remoteCode === 'InvalidParam') {
      throw new ConnectorError(
        'config',
        `MISA refused the connection settings: ${e.remoteMessage} (check orgCompanyCode)`,
        {
          remoteCode: e.remoteCode,
          remoteMessage: e.remoteMessage,
        },
      )
    }
    throw e
  }
}

/**
 * Returns a usable token. `rejected` names a token MISA just refused: it is never returned again.
 * Concurrent callers in one process share one connect; across processes the state lock serialises.
 */
export async function accessToken(ctx: ConnectorContext<Config>, rejected?: string): Promise<string> {
  const now = ctx.now().getTime()
  const cached = ctx.memo.get(MEMO_KEY) as MisaToken | undefined
  if (usable(cached, now, rejected)) return cached.token
  let inflight = ctx.memo.get(INFLIGHT_KEY) as Promise<MisaToken> | undefined
  if (!inflight) {
    inflight = ctx.state
      .withLock(STATE_KEY, async () => {
        const stored = await ctx.state.get<MisaToken>(STATE_KEY)
        if (usable(stored, ctx.now().getTime(), rejected)) return stored
        const fresh = await connectMisa(ctx)
        await ctx.state.set(STATE_KEY, fresh)
        ctx.log.info('MISA token renewed', { expiresAt: new Date(fresh.expiresMs).toISOString() })
        return fresh
      })
      .finally(() => ctx.memo.delete(INFLIGHT_KEY))
    ctx.memo.set(INFLIGHT_KEY, inflight)
  }
  const token = await inflight
  ctx.memo.set(MEMO_KEY, token)
  return token.token
}

/** Makes a token from a fresh connect the one this connection uses (check() connects explicitly). */
export async function adoptToken(ctx: ConnectorContext<Config>, token: MisaToken): Promise<void> {
  ctx.memo.set(MEMO_KEY, token)
  await ctx.state.set(STATE_KEY, token)
}

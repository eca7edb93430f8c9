/**
 * MISA's callbacks: AMIS posts `{success, signature, data_type, app_id, org_company_code, data}` where
 * `data` is a JSON string of per-item results and `signature = hex(HMAC-SHA256(key = app_id, data))`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WebhookEvent, Webhooks } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { type Config, configSecrets } from './config.ts'
import { listOf } from './envelope.ts'
import { correlationIdOf, DELETE_DATA_TYPE, outcomeOfRow, SAVE_DATA_TYPE } from './outcome-row.ts'

interface CallbackBody {
  signature?: unknown
  data?: unknown
  data_type?: unknown
  app_id?: unknown
}

function bodyOf(raw: Uint8Array): CallbackBody {
  try {
    const body = JSON.parse(Buffer.from(raw).toString('utf8')) as unknown
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as CallbackBody
  } catch {
    // reported below
  }
  throw new ConnectorError('auth', 'Not a MISA callback: the body is not a JSON object')
}

/** The reply MISA expects from the partner (PascalCase envelope). */
export function callbackReply(
  success: boolean,
  message = '',
): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      Success: success,
      ErrorCode: success ? null : 'InvalidParam',
      ErrorMessage: message,
      Data: null,
    }),
  }
}

/** Verification, parsing and reply for MISA callbacks. */
export const webhooks: Webhooks<Config> = {
  async verify(ctx, req) {
    const body = bodyOf(req.body)
    if (typeof body.signature !== 'string' || typeof body.data !== 'string') {
      throw new ConnectorError('auth', 'MISA callback without signature or data: refused')
    }
    if (typeof body.app_id === 'string' && body.app_id.toLowerCase() !== ctx.config.appId.toLowerCase()) {
      throw new ConnectorError('auth', 'MISA callback for another app_id: refused')
    }
    const expected = createHmac('sha256', ctx.config.appId).update(body.data, 'utf8').digest()
    const given = /^[0-9a-f]{64}$/i.test(body.signature)
      ? Buffer.from(body.signature, 'hex')
      : Buffer.alloc(0)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ConnectorError('auth', 'MISA callback signature does not match: refused')
    }
    return {}
  },

  async parse(ctx, req) {
    const body = bodyOf(req.body)
    const dataType = Number(body.data_type)
    // 4 and 5 are ASP-only notifications with nothing pending behind them.
    if (dataType !== SAVE_DATA_TYPE && dataType !== DELETE_DATA_TYPE) return []
    let rows: Record<string, unknown>[]
    try {
      rows = listOf(JSON.parse(String(body.data)))
    } catch {
      throw new ConnectorError('rejected', 'MISA callback data is not a JSON list')
    }
    const secrets = configSecrets(ctx.config)
    const events: WebhookEvent[] = []
    for (const row of rows) {
      const outcome = outcomeOfRow(row, dataType, secrets)
      if (!outcome) continue
      events.push({
        type: 'outcome',
        outcome,
        dedupeKey: `misa:${dataType}:${correlationIdOf(row, dataType)}:${row.session_id ?? ''}`,
      })
    }
    return events
  },

  reply() {
    return callbackReply(true)
  },
}

/**
 * Sends one signed callback the way AMIS does: snake_case body, `data` as a JSON string, signature
 * = hex(HMAC-SHA256(key = app_id, data)). Delivery succeeds only on HTTP 2xx with `Success:true`;
 * after the configured attempts the rows land in the failure outbox (get_call_back_detail_error).
 */
import { createHmac } from 'node:crypto'
import { toMisaTimestamp } from '../../../../core/vietnam/vietnam-time.ts'
import type { CallbackFault, ResultRow, SandboxState, Tenant } from '../state/sandbox-state.ts'

/** Signs `data` with the app id, as AMIS signs callbacks. */
export function signCallback(appId: string, data: string): string {
  return createHmac('sha256', appId).update(data, 'utf8').digest('hex')
}

async function attempt(send: typeof fetch, url: string, body: string): Promise<boolean> {
  try {
    const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    if (!res.ok) return false
    const reply = (await res.json().catch(() => null)) as { Success?: unknown } | null
    return reply?.Success === true
  } catch {
    return false
  }
}

function takeFault(state: SandboxState): CallbackFault['mode'] | undefined {
  const fault = state.callbackFaults.find((f) => f.count > 0)
  if (!fault) return undefined
  fault.count -= 1
  state.callbackFaults = state.callbackFaults.filter((f) => f.count > 0)
  return fault.mode
}

/** Delivers one callback with retries; failed rows go to the tenant's outbox. */
export async function deliverCallback(
  state: SandboxState,
  send: typeof fetch,
  tenant: Tenant,
  dataType: number,
  rows: ResultRow[],
): Promise<void> {
  if (rows.length === 0) return
  const data = JSON.stringify(rows)
  const fault = takeFault(state)
  const signature = signCallback(tenant.appId, fault === 'tamper' ? `${data} ` : data)
  const body = {
    success: rows.every((r) => r.success),
    error_code: null,
    error_message: '',
    signature,
    data_type: dataType,
    org_company_code: tenant.orgCompanyCode,
    app_id: tenant.appId,
    data,
  }
  const record = {
    at: state.now().toISOString(),
    url: tenant.callbackUrl,
    dataType,
    attempts: 0,
    delivered: false,
    fault,
    body,
  }
  state.deliveries.push(record)
  if (fault === 'lose') {
    // AMIS believes it delivered: nothing reaches the partner and nothing reaches the outbox.
    record.delivered = true
    return
  }
  const text = JSON.stringify(body)
  for (let i = 0; i < state.settings.callbackAttempts && !record.delivered; i++) {
    if (i > 0 && state.settings.callbackRetryDelayMs > 0)
      await new Promise((r) => setTimeout(r, state.settings.callbackRetryDelayMs))
    record.attempts += 1
    if (fault === 'drop' || !tenant.callbackUrl) continue
    record.delivered = await attempt(send, tenant.callbackUrl, text)
  }
  if (record.delivered) return
  const now = state.now()
  for (const row of rows)
    tenant.outbox.push({
      ...row,
      data_type: dataType,
      created_date: toMisaTimestamp(now),
      createdMs: now.getTime(),
    })
}

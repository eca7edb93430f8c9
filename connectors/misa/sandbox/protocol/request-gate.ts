/**
 * What every `/apir/sync/actopen/<fn>` call passes before its handler: request counting, injected
 * faults, the token (only from `X-MISA-AccessToken`), tenant set-up errors and the body's app_id.
 */
import type { Context } from 'hono'
import type { SandboxState, Tenant } from '../state/sandbox-state.ts'
import { misaFail } from './misa-reply.ts'

/** A caller that passed the gate. */
export interface GateResult {
  tenant: Tenant
  body: Record<string, unknown>
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Counts a call to `fn` and answers an injected fault, if one is armed for it. */
export async function applyFault(state: SandboxState, c: Context, fn: string): Promise<Response | null> {
  state.stats.set(fn, (state.stats.get(fn) ?? 0) + 1)
  const fault = state.faults.find((f) => f.count > 0 && (f.fn === fn || f.fn === '*'))
  if (!fault) return null
  fault.count -= 1
  state.faults = state.faults.filter((f) => f.count > 0)
  switch (fault.mode) {
    case 'http500':
      return c.text('Internal Server Error', 500)
    case 'http401':
      return c.text('Unauthorized', 401)
    case 'timeout':
      await sleep(fault.delayMs, c.req.raw.signal)
      return c.text('Gateway Timeout', 504)
    case 'expiredToken':
      return misaFail(c, 'ExpiredToken', 'Token đã hết hạn')
    case 'exception':
      return misaFail(c, 'Exception', 'Có lỗi xảy ra trong quá trình xử lý')
    case 'invalidParam':
      return misaFail(c, 'InvalidParam', 'Tham số không hợp lệ')
  }
}

function tokenError(
  state: SandboxState,
  c: Context,
  code: 'InvalidToken' | 'ExpiredToken',
  message: string,
): Response {
  const mode = state.settings.tokenErrorMode
  return misaFail(c, code, message, mode === 'http401' ? 401 : mode === 'http500' ? 500 : 200)
}

/** Answers a tenant set-up problem that every endpoint reports, or null. */
export function tenantProblem(c: Context, tenant: Tenant): Response | null {
  if (tenant.disconnected)
    return misaFail(c, 'AppIDDisconnect', 'Ứng dụng đã bị ngắt kết nối với AMIS Kế toán')
  if (!tenant.dbLinked)
    return misaFail(c, 'DBAmisNotConnectDBACT', 'Dữ liệu AMIS chưa được kết nối với dữ liệu kế toán')
  return null
}

/** Runs the gate for function `fn`; returns the tenant and parsed body, or the error response to send. */
export async function passGate(state: SandboxState, c: Context, fn: string): Promise<GateResult | Response> {
  const fault = await applyFault(state, c, fn)
  if (fault) return fault
  const token = c.req.header('X-MISA-AccessToken')
  const entry = token ? state.tokens.get(token) : undefined
  if (!entry) return tokenError(state, c, 'InvalidToken', 'Token không hợp lệ')
  if (entry.expiresMs <= state.now().getTime())
    return tokenError(state, c, 'ExpiredToken', 'Token đã hết hạn')
  const problem = tenantProblem(c, entry.tenant)
  if (problem) return problem
  let body: Record<string, unknown>
  try {
    const parsed: unknown = await c.req.json()
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    body = parsed as Record<string, unknown>
  } catch {
    return misaFail(c, 'InvalidParam', 'Dữ liệu gửi lên không đúng định dạng JSON')
  }
  if (String(body.app_id ?? '').toLowerCase() !== entry.tenant.appId.toLowerCase()) {
    return misaFail(c, 'InvalidAppID', 'app_id không khớp với token')
  }
  if (String(body.org_company_code ?? '').toLowerCase() !== entry.tenant.orgCompanyCode.toLowerCase()) {
    return misaFail(c, 'InvalidParam', 'org_company_code không khớp với token')
  }
  return { tenant: entry.tenant, body }
}

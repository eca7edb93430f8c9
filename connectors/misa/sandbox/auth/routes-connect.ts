/** `POST /api/oauth/actopen/connect`: app_id + access_code + org_company_code → a ~12 h token. */
import type { Hono } from 'hono'
import { toMisaTicks } from '../../../../core/vietnam/vietnam-time.ts'
import { misaFail, misaOk } from '../protocol/misa-reply.ts'
import { applyFault, tenantProblem } from '../protocol/request-gate.ts'
import type { SandboxRuntime } from '../state/sandbox-runtime.ts'

/** Registers the connect route. */
export function connectRoutes(app: Hono, { state }: SandboxRuntime): void {
  app.post('/api/oauth/actopen/connect', async (c) => {
    const fault = await applyFault(state, c, 'connect')
    if (fault) return fault
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null
    const appId = String(body?.app_id ?? '')
    const orgCompanyCode = String(body?.org_company_code ?? '')
    if (!appId || !orgCompanyCode || !body?.access_code)
      return misaFail(c, 'InvalidParam', 'Thiếu app_id, access_code hoặc org_company_code')
    const tenants = [...state.tenants.values()].filter((t) => t.appId.toLowerCase() === appId.toLowerCase())
    if (tenants.length === 0) return misaFail(c, 'InvalidAppID', 'Mã ứng dụng (app_id) không hợp lệ')
    const tenant = tenants.find((t) => t.orgCompanyCode.toLowerCase() === orgCompanyCode.toLowerCase())
    if (!tenant) return misaFail(c, 'InvalidParam', 'Không tìm thấy công ty với org_company_code đã gửi')
    const problem = tenantProblem(c, tenant)
    if (problem) return problem
    if (body.access_code !== tenant.accessCode)
      return misaFail(c, 'InvalidAccessToken', 'Mã kết nối (access_code) không hợp lệ')
    if (state.settings.revokeOnConnect)
      for (const [token, entry] of state.tokens) if (entry.tenant === tenant) state.tokens.delete(token)
    const expires = new Date(state.now().getTime() + state.settings.tokenTtlMs)
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')
    state.tokens.set(token, { tenant, expiresMs: expires.getTime() })
    // expired_time is Vietnam wall-clock time without an offset, exactly as MISA sends it.
    const local = new Date(expires.getTime() + 7 * 3600_000).toISOString().slice(0, 19)
    return misaOk(c, {
      access_token: token,
      tenant_code: tenant.tenantCode,
      app_name: tenant.appName,
      expired_time: local,
      expired_time_ticks: Number(toMisaTicks(expires)),
    })
  })
}

/** A raw-HTTP client for the sandbox conformance tests: connect once, call functions, drive the control API. */
import type { Sandbox } from '../../../core/connector/sandbox.ts'
import { createSandbox } from './index.ts'

/** The sandbox base URL the tests use (with a path prefix). */
export const BASE = 'http://127.0.0.1:1/misa'

/** Starts a sandbox with callbacks captured in `callbacks` and returns raw helpers. */
export async function startRawSandbox(callbacks: { body: Record<string, unknown> }[] = []) {
  const sandbox = await createSandbox({
    baseUrl: BASE,
    fetch: (async (_url: string, init: RequestInit) => {
      callbacks.push({ body: JSON.parse(String(init.body)) })
      return Response.json({ Success: true, ErrorCode: null, ErrorMessage: '', Data: null })
    }) as typeof fetch,
  })
  const cfg = sandbox.connectionConfig() as Record<string, string>
  const raw = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    sandbox.fetch(
      new Request(`${BASE}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
  const connect = async () => {
    const res = await raw('POST', '/api/oauth/actopen/connect', {
      app_id: cfg.appId,
      access_code: cfg.accessCode,
      org_company_code: cfg.orgCompanyCode,
    })
    return JSON.parse(((await res.json()) as { Data: string }).Data).access_token as string
  }
  const token = await connect()
  const call = async (
    fn: string,
    body: Record<string, unknown> = {},
    method = 'POST',
    path = '/apir/sync/actopen/',
  ) => {
    const res = await raw(
      method,
      `${path}${fn}`,
      { app_id: cfg.appId, org_company_code: cfg.orgCompanyCode, ...body },
      { 'X-MISA-AccessToken': token },
    )
    const text = await res.text()
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : null }
  }
  const control = async (path: string, body: unknown = {}) =>
    (await raw('POST', `/__sandbox/${path}`, body)).json()
  await control('settings', { autoProcess: false, callbackRetryDelayMs: 0 })
  await control('callback-url', { url: 'http://partner.test/callback' })
  return { sandbox: sandbox as Sandbox, cfg, raw, call, control, token, connect }
}

/** A valid 18/302 voucher against the demo seed. */
export const voucher = (branchId: string, over: Record<string, unknown> = {}) => ({
  voucher_type: 18,
  reftype: 302,
  org_refid: 'r-1',
  branch_id: branchId,
  account_object_code: 'V0010',
  refdate: '2026-03-05 09:00:00',
  posted_date: '2026-03-05 09:00:00',
  total_sale_amount: 1_000_000,
  total_vat_amount: 100_000,
  total_amount: 1_100_000,
  detail: [
    {
      inventory_item_code: 'THEP-TAM',
      stock_code: 'KHO1',
      debit_account: '1561',
      credit_account: '331',
      vat_account: '1331',
      quantity: 10,
      unit_price: 100_000,
      amount: 1_000_000,
      vat_rate: 10,
      vat_amount: 100_000,
    },
  ],
  ...over,
})

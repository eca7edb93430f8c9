/**
 * Proves a MISA connection: connect (app_id, access code, company), read the company info, and, when
 * a branch is configured, confirm it is a company or branch organisation unit (else MISA's words for
 * the voucher that would fail: "Chi nhánh (branch_id) … không tồn tại").
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { adoptToken, connectMisa } from './auth.ts'
import { callApi } from './call-api.ts'
import type { Config } from './config.ts'
import { listBranches } from './config-choices.ts'

/** The connector's `check`. */
export async function check(ctx: ConnectorContext<Config>): Promise<{ details: Record<string, unknown> }> {
  // A fresh connect, not a cached token: the admin is testing these exact credentials.
  await adoptToken(ctx, await connectMisa(ctx))
  const { data } = await callApi(ctx, 'get_company_info', { branch_id: null })
  const company = (data ?? {}) as Record<string, unknown>
  if (ctx.config.branchId) {
    const wanted = ctx.config.branchId.toLowerCase()
    if (!(await listBranches(ctx)).some((b) => b.id.toLowerCase() === wanted)) {
      // MISA's own words for a voucher with this branch_id, said now instead of on every voucher.
      throw new ConnectorError(
        'config',
        `Chi nhánh (branch_id) ${ctx.config.branchId} không tồn tại: pick the company or a branch from AMIS's list`,
      )
    }
  }
  return {
    details: {
      companyName: company.company_name,
      companyTaxCode: company.company_tax_code,
      chartRegime: ctx.config.chartRegime ?? 'TT99',
    },
  }
}

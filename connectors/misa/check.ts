/**
 * Proves a MISA connection: connect (app_id, access code, company), read the company info, and, when
 * a branch is configured, confirm it is a company or branch organisation unit.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { adoptToken, connectMisa } from './auth.ts'
import { callApi } from './call-api.ts'
import type { Config } from './config.ts'
import { dictionaryTypes as T } from './dictionary-types.ts'
import { listOf } from './envelope.ts'

async function findBranch(
  ctx: ConnectorContext<Config>,
  branchId: string,
): Promise<Record<string, unknown> | undefined> {
  for (let skip = 0; skip < 10_000; skip += 100) {
    const rows = listOf(
      (
        await callApi(ctx, 'get_dictionary', {
          data_type: T.organizationUnit.readType,
          skip,
          take: 100,
          last_sync_time: null,
        })
      ).data,
    )
    const hit = rows.find((r) => String(r.organization_unit_id).toLowerCase() === branchId.toLowerCase())
    if (hit || rows.length < 100) return hit
  }
  return undefined
}

/** The connector's `check`. */
export async function check(ctx: ConnectorContext<Config>): Promise<{ details: Record<string, unknown> }> {
  // A fresh connect, not a cached token: the admin is testing these exact credentials.
  await adoptToken(ctx, await connectMisa(ctx))
  const { data } = await callApi(ctx, 'get_company_info', { branch_id: null })
  const company = (data ?? {}) as Record<string, unknown>
  if (ctx.config.branchId) {
    const branch = await findBranch(ctx, ctx.config.branchId)
    if (!branch || ![1, 2].includes(Number(branch.organization_unit_type_id))) {
      throw new ConnectorError(
        'config',
        `branchId ${ctx.config.branchId} is not a company or branch in this AMIS tenant: pick one from the branches stream`,
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

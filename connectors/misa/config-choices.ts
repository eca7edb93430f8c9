/**
 * What a clerk picks instead of typing the AMIS branch GUID: the tenant's organisation units that
 * may book vouchers (data_type 6, type 1 company or 2 branch; departments are not branch_ids).
 */
import type { ConfigChoice, ConfigChoices, ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { callApi } from './call-api.ts'
import type { Config } from './config.ts'
import { dictionaryTypes as T } from './dictionary-types.ts'
import { listOf } from './envelope.ts'

/** One AMIS organisation unit a voucher's `branch_id` may name. */
export interface AmisBranch {
  id: string
  code: string
  name: string
  /** 1 company, 2 branch. */
  type: 1 | 2
}

/** The company and branches of the AMIS tenant (MISA pages by 100 and returns no total). */
export async function listBranches(ctx: ConnectorContext<Config>): Promise<AmisBranch[]> {
  const branches: AmisBranch[] = []
  for (let skip = 0; skip < 10_000; skip += 100) {
    const { data } = await callApi(ctx, 'get_dictionary', {
      data_type: T.organizationUnit.readType,
      skip,
      take: 100,
      last_sync_time: null,
    })
    const rows = listOf(data)
    for (const row of rows) {
      const type = Number(row.organization_unit_type_id)
      if ((type !== 1 && type !== 2) || row.inactive === true) continue
      branches.push({
        id: String(row.organization_unit_id),
        code: String(row.organization_unit_code ?? ''),
        name: String(row.organization_unit_name ?? ''),
        type,
      })
    }
    if (rows.length < 100) break
  }
  return branches
}

/** The branch field: MISA's company and branches, the company first. */
export const configChoices: ConfigChoices<Config> = {
  fields: ['branchId'],
  async list(ctx, field): Promise<ConfigChoice[]> {
    if (field !== 'branchId')
      throw new ConnectorError('config', `MISA AMIS has no list of values for "${field}".`)
    const branches = await listBranches(ctx)
    if (branches.length === 0)
      throw new ConnectorError(
        'config',
        'AMIS lists no company or branch for this connection: check the user’s branch permissions in AMIS.',
      )
    return branches
      .sort((a, b) => a.type - b.type || a.code.localeCompare(b.code))
      .map((b) => ({ value: b.id, label: [b.code, b.name].filter(Boolean).join(' — ') }))
  },
}

import { demoCompany } from '../../core/demo/demo-company.ts'
import type { MappingTableSource } from '../../runtime/store/mapping-rows-store.ts'

const identity = (codes: readonly string[]) => new Map<string, unknown>(codes.map((code) => [code, code]))

const TABLES: Record<string, Map<string, unknown>> = {
  'basware-cost-centre-to-bc-department': identity(demoCompany.dimensions.DEPARTMENT.map((d) => d.code)),
  'basware-tax-code-to-bc-tax-group': identity(demoCompany.vatRates.map((rate) => `VAT${rate}`)),
}

/**
 * The bc-basware recipe's mapping tables as a tenant would confirm them for the demo company (both
 * sandboxes seed the same codes, so every row maps to itself). Benchmarks skip the installer.
 */
export const demoMappingTables: MappingTableSource = async (_tenantId, table) => {
  const rows = TABLES[table]
  if (!rows) throw new Error(`no demo mapping table ${table}`)
  return rows
}

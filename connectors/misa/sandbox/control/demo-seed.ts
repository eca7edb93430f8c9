/**
 * Seeds the demo company (core/demo) into a sandbox tenant: its vendors as account objects (same
 * codes and MSTs as in BC and Basware), the chart preset of its regime, branches, items, stocks,
 * units, expense items and projects. Modification times are spread over the past hour so incremental
 * reads see a realistic order.
 */
import { demoCompany } from '../../../../core/demo/demo-company.ts'
import { chartPreset } from '../../../../core/vietnam/chart-presets.ts'
import { toMisaTimestamp } from '../../../../core/vietnam/vietnam-time.ts'
import { byReadType, dictionaryTypes } from '../../dictionary-types.ts'
import { newTenant, type SandboxState, type Tenant, tenantKey } from '../state/sandbox-state.ts'

/** The demo tenant's credentials (fixed, so demo connections survive restarts). */
export const demoCredentials = {
  appId: '6f1c2a9e-4b7d-4c3e-9a51-2d8e7f0b1c44',
  accessCode: `AMIS.${'Q3JvbnVzVmlldE5hbUpTQy1zYW5kYm94LWFjY2Vzcy1jb2Rl'.repeat(5)}`,
  orgCompanyCode: 'cronusvietnam',
  branchId: '2b0f4c1e-8d3a-4f6b-9c2d-1a7e5b3c9d01',
}

/** Stamps and stores one record. */
export function putRecord(tenant: Tenant, readType: number, data: Record<string, unknown>, at: Date): void {
  const type = byReadType(readType)!
  const stamp = toMisaTimestamp(at)
  tenant.dictionaries.put(
    readType,
    {
      dictionary_type: type.writeType ?? readType,
      ...data,
      branch_id: data.branch_id === undefined ? tenant.branchId : data.branch_id,
      created_date: data.created_date ?? stamp,
      created_by: data.created_by ?? 'sandbox',
      modified_date: stamp,
      modified_by: 'sandbox',
    },
    at.getTime(),
  )
}

function rows(tenant: Tenant): [number, Record<string, unknown>][] {
  const t = dictionaryTypes
  const out: [number, Record<string, unknown>][] = []
  out.push([
    t.organizationUnit.readType,
    {
      organization_unit_id: tenant.branchId,
      organization_unit_code: 'CRONUS',
      organization_unit_name: demoCompany.name,
      organization_unit_type_id: 1,
      parent_id: null,
      branch_id: tenant.branchId,
    },
  ])
  out.push([
    t.organizationUnit.readType,
    {
      organization_unit_id: '2b0f4c1e-8d3a-4f6b-9c2d-1a7e5b3c9d02',
      organization_unit_code: 'CN-HN',
      organization_unit_name: 'Chi nhánh Hà Nội',
      organization_unit_type_id: 2,
      parent_id: tenant.branchId,
    },
  ])
  for (const d of demoCompany.dimensions.DEPARTMENT) {
    out.push([
      t.organizationUnit.readType,
      {
        organization_unit_id: crypto.randomUUID(),
        organization_unit_code: d.code,
        organization_unit_name: d.name,
        organization_unit_type_id: 3,
        parent_id: tenant.branchId,
      },
    ])
  }
  for (const a of chartPreset(tenant.regime)) {
    out.push([
      t.account.readType,
      {
        account_id: crypto.randomUUID(),
        account_number: a.number,
        account_name: a.name,
        grade: a.number.length - 2,
        is_parent: !a.isLeaf,
        inactive: false,
        branch_id: null,
      },
    ])
  }
  for (const v of demoCompany.vendors) {
    out.push([
      t.accountObject.readType,
      {
        account_object_id: crypto.randomUUID(),
        account_object_code: v.code,
        account_object_name: v.name,
        account_object_type: 0,
        is_vendor: true,
        is_customer: false,
        is_employee: false,
        inactive: v.blocked === true,
        company_tax_code: v.taxCode,
        address: v.address,
        province_or_city: v.city,
        country: 'Việt Nam',
        pay_account: '331',
        receive_account: '131',
        currency_id: v.currency,
        payment_term_code: v.paymentTermsCode,
        state: 0,
      },
    ])
  }
  const customers = [
    ['KH0001', 'Công ty TNHH Thương Mại Bến Thành', '0100109106'],
    ['KH0002', 'Công ty CP Xây Dựng Sông Hồng', '0100233488'],
    ['KH0003', 'Nguyễn Văn An', '001203012345'],
  ]
  for (const [code, name, tax] of customers) {
    out.push([
      t.accountObject.readType,
      {
        account_object_id: crypto.randomUUID(),
        account_object_code: code,
        account_object_name: name,
        account_object_type: tax!.length === 12 ? 1 : 0,
        is_vendor: false,
        is_customer: true,
        is_employee: false,
        inactive: false,
        company_tax_code: tax,
        country: 'Việt Nam',
        pay_account: '331',
        receive_account: '131',
        state: 0,
      },
    ])
  }
  for (const name of ['Cái', 'Kg', 'Tấm', 'Thùng', 'Lần', 'Giờ', 'Bộ'])
    out.push([t.unit.readType, { unit_id: crypto.randomUUID(), unit_name: name, inactive: false }])
  out.push([
    t.stock.readType,
    { stock_id: crypto.randomUUID(), stock_code: 'KHO1', stock_name: 'Kho Bình Dương', inactive: false },
  ])
  out.push([
    t.stock.readType,
    { stock_id: crypto.randomUUID(), stock_code: 'KHO2', stock_name: 'Kho Hà Nội', inactive: false },
  ])
  const items: [string, string, number, string, string][] = [
    ['THEP-TAM', 'Thép tấm cán nóng', 0, 'Tấm', '1561'],
    ['THUNG-CARTON', 'Thùng carton 5 lớp', 0, 'Thùng', '1561'],
    ['NVL-DONG', 'Dây đồng', 3, 'Kg', '152'],
    ['DIEU-HOA', 'Máy điều hòa 2 chiều', 0, 'Bộ', '1561'],
    ['DV-VANCHUYEN', 'Dịch vụ vận chuyển', 2, 'Lần', ''],
    ['DV-PHANMEM', 'Bản quyền phần mềm', 2, 'Bộ', ''],
    ['DV-TUVAN', 'Dịch vụ tư vấn thuế', 2, 'Giờ', ''],
  ]
  for (const [code, name, type, unit, account] of items) {
    out.push([
      t.inventoryItem.readType,
      {
        inventory_item_id: crypto.randomUUID(),
        inventory_item_code: code,
        inventory_item_name: name,
        inventory_item_type: type,
        unit_name: unit,
        inventory_account: account || null,
        purchase_description: name,
        inactive: false,
        tax_reduction_type: -1,
      },
    ])
  }
  for (const [code, name] of [
    ['CP-VANCHUYEN', 'Chi phí vận chuyển'],
    ['CP-VANPHONG', 'Chi phí văn phòng'],
    ['CP-TUVAN', 'Chi phí tư vấn'],
  ]) {
    out.push([
      t.expenseItem.readType,
      {
        expense_item_id: crypto.randomUUID(),
        expense_item_code: code,
        expense_item_name: name,
        inactive: false,
      },
    ])
  }
  for (const p of demoCompany.dimensions.PROJECT) {
    out.push([
      t.projectWork.readType,
      {
        project_work_id: crypto.randomUUID(),
        project_work_code: p.code,
        project_work_name: p.name,
        inactive: false,
      },
    ])
  }
  for (const p of demoCompany.paymentTerms) {
    out.push([
      t.paymentTerm.readType,
      {
        payment_term_id: crypto.randomUUID(),
        payment_term_code: p.code,
        payment_term_name: p.name,
        due_time: p.days,
      },
    ])
  }
  out.push([
    t.bank.readType,
    { bank_id: crypto.randomUUID(), bank_code: 'VCB', bank_name: 'Ngân hàng TMCP Ngoại thương Việt Nam' },
  ])
  out.push([
    t.bankAccount.readType,
    {
      bank_account_id: crypto.randomUUID(),
      bank_account_number: '0071001234567',
      bank_name: 'Vietcombank - CN Sài Gòn',
    },
  ])
  return out
}

/** Adds the demo tenant with its master data to the state. */
export function seedDemo(state: SandboxState, options: { empty: boolean }): Tenant {
  const tenant = newTenant({
    appId: demoCredentials.appId,
    accessCode: demoCredentials.accessCode,
    orgCompanyCode: demoCredentials.orgCompanyCode,
    branchId: demoCredentials.branchId,
    appName: demoCompany.name.toUpperCase(),
    tenantCode: 'H6DLVSLM',
    company: {
      company_name: demoCompany.name,
      company_address: '99 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh',
      company_tax_code: demoCompany.taxCode,
    },
    regime: 'TT99',
  })
  state.tenants.set(tenantKey(tenant.appId, tenant.orgCompanyCode), tenant)
  if (options.empty) return tenant
  // Whole seconds, so a `last_sync_time` watermark (second precision) excludes them exactly.
  const now = new Date(Math.floor(state.now().getTime() / 1000) * 1000)
  const all = rows(tenant)
  // One second apart, ending a second ago, so last_sync_time watermarks split them cleanly.
  for (const [i, [readType, data]] of all.entries()) {
    putRecord(tenant, readType, data, new Date(now.getTime() - (all.length - i) * 1000))
  }
  return tenant
}

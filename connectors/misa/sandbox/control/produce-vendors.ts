/** New vendors appearing in AMIS, as users would add them (the demo watches them flow out). */
import { mstCheckDigit } from '../../../../core/vietnam/mst.ts'
import { dictionaryTypes as T } from '../../dictionary-types.ts'
import type { Tenant } from '../state/sandbox-state.ts'
import { putRecord } from './demo-seed.ts'

function randomMst(): string {
  for (;;) {
    const nine = `0${1 + Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 9_999_999) + 1).padStart(7, '0')}`
    const check = mstCheckDigit(nine)
    if (check !== null) return `${nine}${check}`
  }
}

/** Adds `count` vendors with valid tax codes and fresh modification times. */
export function produceVendors(tenant: Tenant, count: number, now: Date): void {
  const start = tenant.dictionaries.list(T.accountObject.readType).length
  for (let i = 0; i < count; i++) {
    const n = start + i + 1
    putRecord(
      tenant,
      T.accountObject.readType,
      {
        account_object_id: crypto.randomUUID(),
        account_object_code: `NCC${String(n).padStart(5, '0')}`,
        account_object_name: `Công ty TNHH Nhà Cung Cấp Số ${n}`,
        account_object_type: 0,
        is_vendor: true,
        is_customer: false,
        is_employee: false,
        inactive: false,
        company_tax_code: randomMst(),
        country: 'Việt Nam',
        pay_account: '331',
        receive_account: '131',
        state: 0,
      },
      now,
    )
  }
}

/**
 * The master-data import APIs the sandbox emulates, with Basware's per-endpoint limits.
 */
import type { BaswareSchemaName } from '../../schemas.ts'

/** One master-data API. */
export interface MasterDataApi {
  schema: BaswareSchemaName
  entityType: string
  /** Most records one POST may carry. */
  maxRecords: number
  /** The list GET's wrapper key. */
  wrapper: string
}

/** Master-data APIs by path segment (`/v1/<name>`; lists are `/v1/lists/{listKey}`). */
export const masterDataApis: Record<string, MasterDataApi> = {
  vendors: { schema: 'VendorEntity', entityType: 'Vendor', maxRecords: 200, wrapper: 'vendorEntities' },
  accounts: { schema: 'AccountEntity', entityType: 'Account', maxRecords: 500, wrapper: 'accounts' },
  costCenters: {
    schema: 'CostCenterEntity',
    entityType: 'CostCenter',
    maxRecords: 500,
    wrapper: 'costCenters',
  },
  taxCodes: { schema: 'TaxCodeEntity', entityType: 'TaxCode', maxRecords: 500, wrapper: 'taxCodes' },
  paymentTerms: {
    schema: 'PaymentTermEntity',
    entityType: 'PaymentTerm',
    maxRecords: 500,
    wrapper: 'paymentTerms',
  },
  lists: { schema: 'GenericListEntity', entityType: 'GenericList', maxRecords: 500, wrapper: 'listItems' },
}

/** Largest request body Basware accepts. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024

/** True for a generic list key the path enum allows (ACC_LIST_1–35, INV_LIST_1–20, CUST_RESOLVER_1–5). */
export function isListKey(key: string): boolean {
  const match = /^(ACC_LIST|INV_LIST|CUST_RESOLVER)_(\d+)$/.exec(key)
  if (!match) return false
  const n = Number(match[2])
  const max = match[1] === 'ACC_LIST' ? 35 : match[1] === 'INV_LIST' ? 20 : 5
  return n >= 1 && n <= max
}

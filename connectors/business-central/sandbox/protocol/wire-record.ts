/**
 * Turns stored entities into what BC sends: the wire fields, `@odata.etag`, and expanded
 * navigation properties (document lines, dimension set lines, dimension values, journal lines).
 */
import { apiFields } from '../../api-fields.ts'
import { dimensionSetRows } from '../rules/dimension-set.ts'
import { type Company, etagOf } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { matches } from './odata-compare.ts'
import { type ExpandOption, project } from './odata-query.ts'

/** Child collections reached by navigation: parent set → nav → [child set, foreign key]. */
export const childSets: Record<string, Record<string, [string, string]>> = {
  purchaseInvoices: { purchaseInvoiceLines: ['purchaseInvoiceLines', 'documentId'] },
  purchaseCreditMemos: { purchaseCreditMemoLines: ['purchaseCreditMemoLines', 'documentId'] },
  salesInvoices: { salesInvoiceLines: ['salesInvoiceLines', 'documentId'] },
  purchaseOrders: { purchaseOrderLines: ['purchaseOrderLines', 'documentId'] },
  purchaseReceipts: { purchaseReceiptLines: ['purchaseReceiptLines', 'documentId'] },
  dimensions: { dimensionValues: ['dimensionValues', 'dimensionId'] },
  vendorPaymentJournals: { vendorPayments: ['vendorPayments', 'journalId'] },
}

/** The dimensionSetLines parent type of each set that has dimensions. */
export const dimensionParentTypes: Record<string, string> = {
  purchaseInvoices: 'Purchase Invoice',
  purchaseInvoiceLines: 'Purchase Invoice Line',
  purchaseCreditMemos: 'Purchase Credit Memo',
  purchaseCreditMemoLines: 'Purchase Credit Memo Line',
  salesInvoices: 'Sales Invoice',
  salesInvoiceLines: 'Sales Invoice Line',
  purchaseOrders: 'Purchase Order',
  purchaseOrderLines: 'Purchase Order Line',
  purchaseReceipts: 'Purchase Receipt',
  purchaseReceiptLines: 'Purchase Receipt Line',
  vendorPayments: 'Journal Line',
  generalLedgerEntries: 'General Ledger Entry',
}

/** The children of `entity` along `nav`: stored entities, or computed rows (dimension set lines). */
export interface Children {
  childSet: string
  entities?: Entity[]
  rows?: Record<string, unknown>[]
}

/** Resolves navigation property `nav` of `entity`. */
export function navigate(company: Company, entitySet: string, entity: Entity, nav: string): Children {
  if (nav === 'dimensionSetLines') {
    return { childSet: nav, rows: dimensionSetRows(company, entity, dimensionParentTypes[entitySet] ?? ' ') }
  }
  const child = childSets[entitySet]?.[nav]
  if (!child) return { childSet: nav, rows: [] }
  const [childSet, foreignKey] = child
  const table = company.tables[childSet]!
  const entities = [...table.lookup(foreignKey, entity.id)]
    .map((id) => table.get(id)!)
    .sort((a, b) => a.seq - b.seq)
  return { childSet, entities }
}

/** The wire form of `entity`, with `$select` and `$expand` applied. */
export function toWire(
  company: Company,
  entitySet: string,
  entity: Entity,
  select?: string[],
  expand: ExpandOption[] = [],
): Record<string, unknown> {
  const record = project({ '@odata.etag': etagOf(entity), ...entity.data }, select)
  for (const option of expand) record[option.nav] = expandRows(company, entitySet, entity, option)
  return record
}

function expandRows(
  company: Company,
  entitySet: string,
  entity: Entity,
  option: ExpandOption,
): Record<string, unknown>[] {
  const { childSet, entities, rows } = navigate(company, entitySet, entity, option.nav)
  const properties = apiFields[childSet]?.properties ?? {}
  const keep = (data: Record<string, unknown>) => !option.filter || matches(option.filter, data, properties)
  if (entities) {
    return entities
      .filter((e) => keep(e.data))
      .map((e) => toWire(company, childSet, e, option.select, option.expand))
  }
  return (rows ?? []).filter(keep).map((row) => project(row, option.select))
}

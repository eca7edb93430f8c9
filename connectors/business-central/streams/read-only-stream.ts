/**
 * A stream that only reads an entity set (accounts, dimensions, reference data, posted documents):
 * incremental on lastModifiedDateTime, server-paged, enums decoded.
 */
import type { Stream } from '../../../core/connector/connector.ts'
import type { Config } from '../config.ts'
import { type CollectionSource, readCollection } from '../read-collection.ts'
import { recordSchema } from '../record-schema.ts'

/** Builds a read-only stream over `source.entitySet`; `expandSchema` describes what `expand` adds. */
export function readOnlyStream(
  description: string,
  source: CollectionSource,
  expandSchema: Record<string, object> = {},
): Stream<Config> {
  return {
    description,
    schema: recordSchema(source.entitySet, expandSchema),
    identity: { key: 'id', version: 'lastModifiedDateTime' },
    read: (ctx, req) => readCollection(ctx, source, req),
  }
}

/** The reference and ledger streams, which BC exposes read-only (or Ferry only reads). */
export const readOnlyStreams = {
  accounts: readOnlyStream('G/L accounts (chart of accounts).', { entitySet: 'accounts' }),
  dimensions: readOnlyStream('Dimensions such as DEPARTMENT and PROJECT.', { entitySet: 'dimensions' }),
  dimensionValues: readOnlyStream('Values of every dimension.', { entitySet: 'dimensionValues' }),
  generalLedgerEntries: readOnlyStream('Posted G/L entries.', { entitySet: 'generalLedgerEntries' }),
  paymentTerms: readOnlyStream('Payment terms.', { entitySet: 'paymentTerms' }),
  currencies: readOnlyStream('Currencies.', { entitySet: 'currencies' }),
  taxGroups: readOnlyStream('Tax groups (VAT product posting groups in VAT countries).', {
    entitySet: 'taxGroups',
  }),
  taxAreas: readOnlyStream('Tax areas (VAT business posting groups in VAT countries).', {
    entitySet: 'taxAreas',
  }),
  purchaseOrders: readOnlyStream(
    'Purchase orders with lines. Not subscribable: poll on lastModifiedDateTime.',
    { entitySet: 'purchaseOrders', expand: 'purchaseOrderLines' },
    { purchaseOrderLines: {} },
  ),
  purchaseReceipts: readOnlyStream(
    'Posted purchase receipts with lines. Not subscribable: poll on lastModifiedDateTime.',
    { entitySet: 'purchaseReceipts', expand: 'purchaseReceiptLines' },
    { purchaseReceiptLines: {} },
  ),
} satisfies Record<string, Stream<Config>>

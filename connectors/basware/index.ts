/**
 * The Basware P2P connector: approved invoices out (accountingDocuments, with acknowledge as the
 * claim), transfer and payment responses back, master data in (vendors, accounts, cost centres,
 * lists, tax codes, payment terms), push notifications, and the sandbox that emulates it all.
 */
import { defineConnector } from '../../core/connector/connector.ts'
import { acknowledgeOperations } from './acknowledge.ts'
import { checkConnection } from './check.ts'
import { type BaswareConfig, configSchema } from './config.ts'
import { accountingDocuments } from './streams/accounting-documents.ts'
import { masterDataStream } from './streams/master-data.ts'
import { matchingGoodsReceipts } from './streams/matching-goods-receipts.ts'
import { matchingOrders } from './streams/matching-orders.ts'
import { paymentResponses } from './streams/payment-responses.ts'
import { pollPendingWrites } from './streams/pending-correlation.ts'
import { baswareWebhooks } from './webhooks.ts'

/** The Basware connector. */
export const basware = defineConnector<BaswareConfig>({
  id: 'basware',
  title: 'Basware P2P',
  configSchema,
  check: checkConnection,
  streams: {
    accountingDocuments,
    vendors: masterDataStream({
      api: 'vendors',
      schema: 'VendorEntity',
      maxBatch: 200,
      description: 'Suppliers (VendorEntity); inactivate with processingStatus.active=false.',
    }),
    accounts: masterDataStream({
      api: 'accounts',
      schema: 'AccountEntity',
      maxBatch: 500,
      description: 'G/L accounts; inactivate per company with companies[].active=false.',
    }),
    costCenters: masterDataStream({
      api: 'costCenters',
      schema: 'CostCenterEntity',
      maxBatch: 500,
      description: 'Cost centres; inactivate per company with companies[].active=false.',
    }),
    lists: masterDataStream({
      api: 'lists',
      schema: 'GenericListEntity',
      maxBatch: 500,
      description: 'Generic list items (coding dimensions); each record names its listKey, e.g. ACC_LIST_1.',
    }),
    taxCodes: masterDataStream({
      api: 'taxCodes',
      schema: 'TaxCodeEntity',
      maxBatch: 500,
      description: 'Tax codes with their percentages.',
    }),
    paymentTerms: masterDataStream({
      api: 'paymentTerms',
      schema: 'PaymentTermEntity',
      maxBatch: 500,
      description: 'Payment terms; import before the vendors that use them.',
    }),
    matchingOrders,
    matchingGoodsReceipts,
    paymentResponses,
  },
  acknowledge: acknowledgeOperations,
  webhooks: baswareWebhooks,
  outcomes: { poll: pollPendingWrites, pollAfterMs: 60_000 },
  // Basware publishes no numbers; its fair-use guidance asks for few parallel calls, so concurrency is
  // the real brake (4 in flight). The budget (100/s) only guards against runaway loops.
  limits: { budget: { requests: 6_000, perMs: 60_000 }, concurrency: 4 },
  sandbox: (o) => import('./sandbox/index.ts').then((m) => m.createSandbox(o)),
})

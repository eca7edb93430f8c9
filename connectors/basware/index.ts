/**
 * The Basware P2P connector: approved invoices out (accountingDocuments, with acknowledge as the
 * claim), transfer and payment responses back, master data in (vendors, accounts, cost centres,
 * lists, tax codes, payment terms), push notifications, and the sandbox that emulates it all.
 */
import { defineConnector } from '../../core/connector/connector.ts'
import { acknowledge } from './acknowledge.ts'
import { check } from './check.ts'
import { type Config, configSchema } from './config.ts'
import { pollOutcomes } from './outcomes.ts'
import { accountingDocuments } from './streams/accounting-documents.ts'
import { masterDataStream } from './streams/master-data.ts'
import { matchingGoodsReceipts } from './streams/matching-goods-receipts.ts'
import { matchingOrders } from './streams/matching-orders.ts'
import { paymentResponses } from './streams/payment-responses.ts'
import { webhooks } from './webhooks.ts'

/** The Basware connector. */
export const basware = defineConnector<Config>({
  id: 'basware',
  title: 'Basware P2P',
  configSchema,
  check,
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
  acknowledge,
  webhooks,
  outcomes: { poll: pollOutcomes, pollAfterMs: 60_000 },
  // Basware publishes no numbers; its fair-use guidance asks for few parallel calls, so concurrency is
  // the real brake (4 in flight). The budget (100/s) only guards against runaway loops.
  limits: { budget: { requests: 6_000, perMs: 60_000 }, concurrency: 4 },
  sandbox: (o) => import('./sandbox/index.ts').then((m) => m.createSandbox(o)),
})

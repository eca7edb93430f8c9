/** Microsoft Dynamics 365 Business Central (API v2.0): wires the connector's parts. */
import { defineConnector } from '../../core/connector/connector.ts'
import { check } from './check.ts'
import { type Config, configSchema } from './config.ts'
import { configChoices } from './config-choices.ts'
import { delegatedAuth } from './delegated-auth.ts'
import { purchaseCreditMemos } from './streams/purchase-credit-memos.ts'
import { purchaseInvoices } from './streams/purchase-invoices.ts'
import { readOnlyStreams } from './streams/read-only-stream.ts'
import { salesInvoices } from './streams/sales-invoices.ts'
import { vendorPayments } from './streams/vendor-payments.ts'
import { vendors } from './streams/vendors.ts'
import { webhooks } from './webhooks.ts'

/** The Business Central connector. */
export const businessCentral = defineConnector<Config>({
  id: 'business-central',
  title: 'Microsoft Dynamics 365 Business Central',
  configSchema,
  check,
  streams: {
    vendors,
    purchaseInvoices,
    purchaseCreditMemos,
    salesInvoices,
    vendorPayments,
    ...readOnlyStreams,
  },
  webhooks,
  delegatedAuth,
  configChoices,
  limits: { budget: { requests: 6000, perMs: 300_000 }, concurrency: 5 },
  sandbox: (o) => import('./sandbox/index.ts').then((m) => m.createSandbox(o)),
})

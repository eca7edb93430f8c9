/**
 * MISA AMIS Kế toán (ACT Open API): master data in and out, voucher proposals whose outcome arrives
 * later by signed callback (or by polling for callbacks MISA could not deliver).
 */
import { defineConnector } from '../../core/connector/connector.ts'
import { check } from './check.ts'
import { type Config, configSchema } from './config.ts'
import { configChoices } from './config-choices.ts'
import { pollOutcomes } from './outcomes.ts'
import { dictionaryDeletions } from './streams/dictionary-deletions.ts'
import {
  accountObjects,
  accounts,
  branches,
  expenseItems,
  items,
  projects,
  stocks,
  units,
  vendors,
} from './streams/master-data.ts'
import { paymentVouchers, purchaseVouchers, serviceVouchers } from './streams/vouchers.ts'
import { webhooks } from './webhooks.ts'

/** The MISA AMIS connector. */
export const misa = defineConnector<Config>({
  id: 'misa',
  title: 'MISA AMIS Kế toán',
  configSchema,
  check,
  streams: {
    accountObjects,
    accounts,
    items,
    stocks,
    units,
    expenseItems,
    branches,
    projects,
    dictionaryDeletions,
    vendors,
    purchaseVouchers,
    serviceVouchers,
    paymentVouchers,
  },
  webhooks,
  configChoices,
  outcomes: { poll: pollOutcomes, pollAfterMs: 5 * 60_000 },
  // MISA documents no rate limit; integrators call sequentially, so stay gentle.
  limits: { concurrency: 2, budget: { requests: 300, perMs: 60_000 } },
  sandbox: (o) => import('./sandbox/index.ts').then((m) => m.createSandbox(o)),
})

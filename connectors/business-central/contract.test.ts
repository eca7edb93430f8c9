import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { businessCentral } from './index.ts'

describeConnectorContract('business-central', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(businessCentral)
  const config = ctx.config as { clientSecret: string }
  let n = 0
  const invoice = (vendorNumber = 'V0020') => ({
    vendorNumber,
    vendorInvoiceNumber: `CT-${Date.now()}-${++n}`,
    purchaseInvoiceLines: [
      { lineType: 'Account', lineObjectNumber: '6427', quantity: 1, unitCost: 2_500_000 },
    ],
  })
  const match = (r: Record<string, unknown>) => ({
    vendorNumber: r.vendorNumber,
    vendorInvoiceNumber: r.vendorInvoiceNumber,
  })
  return {
    connector: businessCentral,
    ctx,
    badSecretCtx: withConfig({ clientSecret: 'wrong-secret-value' }),
    secrets: [config.clientSecret],
    logLines: log.lines,
    read: { stream: 'vendors', pageSize: 3, minRecords: 8 },
    write: {
      stream: 'purchaseInvoices',
      operation: 'create',
      record: () => invoice(),
      match,
    },
    action: { stream: 'purchaseInvoices', name: 'post', record: () => invoice(), match },
    // V0080 is blocked in the seeded company: BC refuses invoices for it.
    writeMany: {
      stream: 'purchaseInvoices',
      operation: 'create',
      good: () => invoice(),
      bad: () => invoice('V0080'),
    },
    skip: {
      acknowledge: 'Business Central is only a target in Ferry’s recipes: it has no acknowledge operation',
      'outcome-poll': 'BC answers every write synchronously: nothing is ever pending',
    },
    forgedWebhook: () => ({
      method: 'POST',
      url: 'https://ferry.example/hooks/t1/bc',
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode(
        JSON.stringify({
          value: [
            {
              subscriptionId: 'abc',
              clientState: 'guessed',
              resource: 'api/v2.0/companies(x)/vendors(y)',
              changeType: 'updated',
            },
          ],
        }),
      ),
    }),
    close: () => sandbox.close(),
  }
})

import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { businessCentral } from './index.ts'

describeConnectorContract('business-central', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(businessCentral)
  const config = ctx.config as { clientSecret: string }
  let n = 0
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
      record: () => ({
        vendorNumber: 'V0020',
        vendorInvoiceNumber: `CT-${Date.now()}-${++n}`,
        purchaseInvoiceLines: [
          { lineType: 'Account', lineObjectNumber: '6427', quantity: 1, unitCost: 2_500_000 },
        ],
      }),
      match: (r) => ({ vendorNumber: r.vendorNumber, vendorInvoiceNumber: r.vendorInvoiceNumber }),
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

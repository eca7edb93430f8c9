import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { loadConnectorRegistry } from '../index.ts'

describeConnectorContract('billing (declared)', async () => {
  const billing = loadConnectorRegistry().registry.billing!
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(billing)
  await sandbox.produce?.(9)
  return {
    connector: billing,
    ctx,
    badSecretCtx: withConfig({ clientSecret: 'not-the-billing-secret' }),
    secrets: [String(ctx.config.clientSecret), String(ctx.config.webhookSecret), 'not-the-billing-secret'],
    logLines: log.lines,
    read: { stream: 'invoices', pageSize: 4, minRecords: 12 },
    forgedWebhook: () => ({
      method: 'POST',
      url: '/hooks/t/billing',
      headers: {
        'content-type': 'application/json',
        'billing-timestamp': '1700000000',
        'billing-signature': `v1=${'0'.repeat(64)}`,
      },
      body: new TextEncoder().encode(
        JSON.stringify({ id: 'evt_1', type: 'invoice.finalized', data: { object: { id: 'inv_x' } } }),
      ),
    }),
    skip: {
      'write-find': 'the billing system is a source only: Ferry never writes invoices back',
      acknowledge: 'the billing manifest declares no acknowledge operation',
      'is-done': 'the billing manifest declares no stream actions',
      'write-many-partial': 'the billing system is a source only: nothing is written',
      'outcome-poll': 'nothing is written, so nothing is ever pending',
    },
    close: () => sandbox.close(),
  }
})

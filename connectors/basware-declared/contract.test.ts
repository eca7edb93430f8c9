import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { loadConnectorRegistry } from '../index.ts'

describeConnectorContract('basware-declared (against the Basware sandbox)', async () => {
  const connector = loadConnectorRegistry().registry['basware-declared']!
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(connector, {
    configOverrides: { companyCode: 'VN01', webhookSecret: 'bw-declared-webhook-secret' },
  })
  let sequence = 0
  return {
    connector,
    ctx,
    badSecretCtx: withConfig({ clientSecret: 'wrong-secret-value' }),
    secrets: [
      String(ctx.config.clientSecret),
      String(ctx.config.password),
      'bw-declared-webhook-secret',
      'wrong-secret-value',
    ],
    logLines: log.lines,
    read: {
      stream: 'accountingDocuments',
      query: { processingStatus: 'WaitingForTransfer' },
      pageSize: 7,
      minRecords: 20,
    },
    write: {
      stream: 'vendors',
      operation: 'upsert',
      record: () => ({
        externalCode: `VN01_D${++sequence}_${Date.now()}`.slice(0, 36),
        vendorCode: `D${sequence}`,
        name: 'Công ty TNHH Kiểm Thử',
        companies: [{ companyCode: 'VN01' }],
        paymentTerms: { paymentTermCode: '30 DAYS' },
      }),
      match: (record) => ({ externalCode: record.externalCode }),
    },
    forgedWebhook: () => ({
      method: 'POST',
      url: '/hooks/t/basware-declared',
      headers: { 'content-type': 'application/json', 'x-bwapi-signature-256': `sha256=${'0'.repeat(64)}` },
      body: new TextEncoder().encode(
        JSON.stringify({ taskId: 't1', taskStatus: 'New', taskType: 'AccountingDocuments', documentId: 'x' }),
      ),
    }),
    skip: {
      acknowledge:
        'transfer responses need the claim/acknowledge operations only TypeScript has (see README)',
      'is-done': 'the declared Basware streams have no actions (imports are not posted afterwards)',
      'write-many-partial': 'a declared write sends one record; bulk imports need writeMany (TypeScript)',
      'outcome-poll': 'a declared write cannot wait for requestStatus; asynchronous outcomes need TypeScript',
    },
    close: () => sandbox.close(),
  }
})

import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { configSecrets } from './config.ts'
import { basware } from './index.ts'
import { POLL_SCHEDULE_KEY } from './request-status.ts'

describeConnectorContract('basware', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(basware)
  ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 150, maxStepMs: 200, totalMs: 5_000 })
  let sequence = 0
  return {
    connector: basware,
    ctx,
    badSecretCtx: withConfig({ clientSecret: 'wrong-secret-value' }),
    secrets: [...configSecrets(ctx.config), 'wrong-secret-value'],
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
        externalCode: `VN01_V9${++sequence}_${Date.now()}`.slice(0, 36),
        vendorCode: `V9${sequence}`,
        name: 'Công ty TNHH Kiểm Thử',
        companies: [{ companyCode: 'VN01' }],
        identifiers: [{ id: '0100047516', schemeId: 'VN:MST' }],
        paymentTerms: { paymentTermCode: '30 DAYS' },
      }),
      match: (record) => ({ externalCode: record.externalCode }),
    },
    forgedWebhook: () => ({
      method: 'POST',
      url: '/hooks/t/basware',
      headers: { 'content-type': 'application/json', 'x-bwapi-signature-256': `sha256=${'0'.repeat(64)}` },
      body: new TextEncoder().encode(
        JSON.stringify({ taskId: 't1', taskStatus: 'New', taskType: 'AccountingDocuments', documentId: 'x' }),
      ),
    }),
    close: () => sandbox.close(),
  }
})

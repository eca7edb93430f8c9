import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { configSecrets } from './config.ts'
import { basware } from './index.ts'
import { POLL_SCHEDULE_KEY } from './request-status.ts'

describeConnectorContract('basware', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(basware)
  ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 150, maxStepMs: 200, totalMs: 5_000 })
  const base = String(ctx.config.baseUrl)
  const control = async (method: string, path: string, body?: unknown): Promise<any> =>
    (
      await sandbox.fetch(
        new Request(`${base}/__sandbox/${path}`, {
          method,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
    ).json()
  // A context that stops waiting for an import at once, so the write stays pending.
  const impatient = withConfig({})
  impatient.memo.set(POLL_SCHEDULE_KEY, { firstMs: 20, maxStepMs: 20, totalMs: 40 })
  let sequence = 0
  const vendor = (extra: Record<string, unknown> = {}) => ({
    externalCode: `VN01_V9${++sequence}_${Date.now()}`.slice(0, 36),
    vendorCode: `V9${sequence}`,
    name: 'Công ty TNHH Kiểm Thử',
    companies: [{ companyCode: 'VN01' }],
    identifiers: [{ id: '0100047516', schemeId: 'VN:MST' }],
    paymentTerms: { paymentTermCode: '30 DAYS' },
    ...extra,
  })
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
      record: () => vendor(),
      match: (record) => ({ externalCode: record.externalCode }),
    },
    acknowledge: {
      operation: 'transferResponse',
      record: async () => {
        const { invoiceIds } = await control('GET', 'documents?processingStatus=WaitingForTransfer')
        return { invoiceId: invoiceIds.at(-1) }
      },
      payload: { success: true, voucherNumber1: 'PI-CONTRACT' },
    },
    // Basware validates the import item by item: an unknown payment term fails that vendor only.
    writeMany: {
      stream: 'vendors',
      operation: 'upsert',
      good: () => vendor(),
      bad: () => vendor({ paymentTerms: { paymentTermCode: 'NET 99' } }),
    },
    outcome: {
      stream: 'costCenters',
      operation: 'upsert',
      record: () => ({
        externalCode: `CC_${++sequence}`,
        costCenterCode: `C${sequence}`,
        costCenterNames: [{ language: 'en-US', translation: 'Hành chính' }],
        companies: [{ companyCode: 'VN01', active: true }],
      }),
      ctx: impatient,
      delay: () => control('POST', 'settings', { importDelayMs: 60_000 }),
      settle: () => control('POST', 'settings', { importDelayMs: 0 }),
    },
    skip: { 'is-done': 'Basware streams have no actions (writes are imports; nothing is posted after)' },
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

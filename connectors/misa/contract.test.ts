import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { misa } from './index.ts'
import { purchaseVoucherFixture } from './test-fixtures.ts'

describeConnectorContract('misa', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(misa)
  const config = ctx.config
  return {
    connector: misa,
    ctx,
    badSecretCtx: withConfig({ accessCode: 'wrong-access-code' }),
    secrets: [config.accessCode, config.appId],
    logLines: log.lines,
    read: { stream: 'accountObjects', pageSize: 3, minRecords: 8 },
    write: {
      stream: 'purchaseVouchers',
      operation: 'create',
      record: () => purchaseVoucherFixture(config.branchId!),
    },
    forgedWebhook: () => {
      const data = JSON.stringify([
        {
          org_refid: 'x',
          success: true,
          error_code: null,
          error_message: '',
          session_id: 's',
          voucher_type: 18,
        },
      ])
      const body = {
        success: true,
        signature: 'a'.repeat(64),
        data_type: 1,
        org_company_code: config.orgCompanyCode,
        app_id: config.appId,
        data,
      }
      return {
        method: 'POST',
        url: 'http://ferry.test/hooks/t/misa',
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(JSON.stringify(body)),
      }
    },
    close: () => sandbox.close(),
  }
})
